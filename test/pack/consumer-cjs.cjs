// A CommonJS consumer: require() gets the CommonJS build; import() of the package from the same module
// gets the ESM entry, which re-exports that build: one class, so one DI token, for both entry points.
const pkg = require('nestjs-background-tasks');
const testing = require('nestjs-background-tasks/testing');
Promise.all([import('nestjs-background-tasks'), import('nestjs-background-tasks/testing')]).then(([imported, importedTesting]) => {
  console.log(JSON.stringify({
    exports: Object.keys(pkg).sort(),
    esmExports: Object.keys(imported).sort(),
    module: typeof pkg.BackgroundTasksModule.forRoot,
    tasks: typeof pkg.BackgroundTasks,
    testing: Object.keys(testing).sort(),
    esmTesting: Object.keys(importedTesting).sort(),
    sameClassFromImport: imported.BackgroundTasks === pkg.BackgroundTasks && imported.BackgroundTasksModule === pkg.BackgroundTasksModule,
    sameTesterFromImport: importedTesting.BackgroundTasksTester === testing.BackgroundTasksTester,
    resolved: require.resolve('nestjs-background-tasks').split('node_modules/nestjs-background-tasks/')[1],
  }));
});
