// A CommonJS consumer: require() of the ESM package (Node >= 20.19 loads ESM without top-level await).
const pkg = require('nestjs-background-tasks');
const testing = require('nestjs-background-tasks/testing');
console.log(JSON.stringify({
  exports: Object.keys(pkg).sort(),
  module: typeof pkg.BackgroundTasksModule.forRoot,
  tasks: typeof pkg.BackgroundTasks,
  testing: Object.keys(testing).sort(),
}));
