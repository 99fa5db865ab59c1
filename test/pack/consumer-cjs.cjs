// A CommonJS consumer: require() of the ESM package (Node >= 20.19 loads ESM without top-level await),
// then import() of it from the same CommonJS module: both must be one module, so one DI token.
const pkg = require('nestjs-background-tasks');
const testing = require('nestjs-background-tasks/testing');
import('nestjs-background-tasks').then((imported) => {
  console.log(JSON.stringify({
    exports: Object.keys(pkg).sort(),
    module: typeof pkg.BackgroundTasksModule.forRoot,
    tasks: typeof pkg.BackgroundTasks,
    testing: Object.keys(testing).sort(),
    sameClassFromImport: imported.BackgroundTasks === pkg.BackgroundTasks,
  }));
});
