import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { Args, Field, GraphQLModule, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { BackgroundTasks, BackgroundTasksModule } from '../../lib/index.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { startApp, type RunningApp } from '../support/app.js';
import { send } from '../support/http.js';
import { watchProcessErrors } from '../support/process-errors.js';

@ObjectType()
class Order {
  @Field()
  id!: string;
}

/** A root mutation that adds a task, and a field resolver of its result that throws. */
@Resolver(() => Order)
class OrderResolver {
  constructor(
    private readonly tasks: BackgroundTasks,
    private readonly probe: TaskProbe,
  ) {}

  @Mutation(() => Order)
  place(@Args('id') id: string): Order {
    this.tasks.addTask((probe: TaskProbe) => probe.record('receipt'), this.probe);
    return { id };
  }

  @ResolveField(() => String)
  invoice(@Parent() order: Order): string {
    throw new Error(`no invoice for ${order.id}`);
  }

  @Query(() => String)
  ping(): string {
    return 'pong';
  }
}

function app(fieldResolverEnhancers: ('interceptors' | 'guards' | 'filters')[] | undefined): DynamicModule {
  @Module({})
  class FieldResolverModule {}
  return {
    module: FieldResolverModule,
    imports: [
      BackgroundTasksModule.forRoot(),
      GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, autoSchemaFile: true, fieldResolverEnhancers }),
    ],
    providers: [OrderResolver, TaskProbe],
  };
}

const warningOf = (running: RunningApp) =>
  running.logger.lines.filter((l) => l.level === 'warn' && l.context === 'BackgroundTasks' && l.message.startsWith('GraphQL field resolvers'));

describe('GraphQL: a field resolver that throws', () => {
  const processErrors = watchProcessErrors();
  afterEach(() => expect(processErrors.errors).toEqual([]));

  it("with fieldResolverEnhancers: ['interceptors'], drops the operation's tasks", async () => {
    const running = await startApp(app(['interceptors']));
    try {
      const res = await send(`${running.url}/graphql`, 'POST', { query: 'mutation { place(id: "o1") { id invoice } }' });
      expect(JSON.parse(res.body).errors).toHaveLength(1);
      const line = await running.logger.waitFor((l) => l.context === 'BackgroundTasks' && l.message.startsWith('Dropped'));
      expect(line.message).toContain("Dropped 1 task(s) of POST /graphql: the handler threw (runOn 'success')");
      expect(running.app.get(TaskProbe).count('receipt')).toBe(0);
      expect(warningOf(running)).toEqual([]);
    } finally {
      await running.app.close();
    }
  });

  it('without it (Nest\'s default), the app warns at startup, naming the field resolvers and the setting', async () => {
    const running = await startApp(app(undefined));
    try {
      expect(warningOf(running).map((l) => l.message)).toEqual([
        "GraphQL field resolvers run without interceptors (OrderResolver.invoice): one that throws does not drop its operation's " +
          "background tasks. Set GraphQLModule.forRoot({ fieldResolverEnhancers: ['interceptors'] }).",
      ]);
    } finally {
      await running.app.close();
    }
  });
});
