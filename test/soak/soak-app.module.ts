import { Controller, HttpException, Module, Param, Post, type DynamicModule } from '@nestjs/common';
import { BackgroundTasks, BackgroundTasksModule, type BackgroundTasksModuleOptions, type RunOn } from '../../lib/index.js';
import { SoakJournal, type Behaviour } from './soak-journal.js';

/** Deterministic pseudo-random numbers from a seed (mulberry32), so a failing run can be replayed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BEHAVIOURS: Behaviour[] = ['succeed', 'throw', 'reject', 'hang', 'flaky', 'always-fails'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** One task of the soak: does what its behaviour says, and writes each attempt in the journal. */
async function soakTask(journal: SoakJournal, name: string, behaviour: Behaviour, signal: AbortSignal): Promise<void> {
  const attempt = journal.attemptStarted(name);
  switch (behaviour) {
    case 'succeed':
      await new Promise((resolve) => setImmediate(resolve));
      return journal.attemptEnded(name, 'ok');
    case 'throw':
      journal.attemptEnded(name, 'threw');
      throw new Error(`${name} throws`);
    case 'reject':
      journal.attemptEnded(name, 'threw');
      return Promise.reject(new Error(`${name} rejects`));
    case 'hang':
      // Never settles: only its timeout ends it (the journal records the attempt as hanging).
      journal.attemptEnded(name, 'hung');
      return new Promise(() => undefined);
    case 'flaky':
      if (attempt < 2) {
        journal.attemptEnded(name, 'threw');
        throw new Error(`${name} flaky`);
      }
      return journal.attemptEnded(name, 'ok');
    case 'always-fails':
      journal.attemptEnded(name, 'threw');
      throw new Error(`${name} always fails`);
    case 'slow':
      // Long enough to still run at the drain deadline; ends early only when aborted.
      journal.attemptEnded(name, 'hung');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 60_000);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return;
  }
}

@Controller()
export class SoakController {
  constructor(
    private readonly tasks: BackgroundTasks,
    private readonly journal: SoakJournal,
  ) {}

  @Post('soak/:seed')
  async soak(@Param('seed') seed: string) {
    const random = seeded(Number(seed));
    const count = 1 + Math.floor(random() * 3);
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      const finalWave = this.journal.finalWave;
      const behaviour = finalWave ? 'slow' : pick(random, BEHAVIOURS.filter((b) => b !== 'slow'));
      const name = `t${seed}-${i}`;
      const runOn = finalWave ? 'always' : pick<RunOn>(random, ['success', 'success', 'always', 'error']);
      const onClientAbort = random() < 0.3 ? 'drop' : 'run';
      const retries = behaviour === 'flaky' ? 2 : behaviour === 'always-fails' ? 1 : 0;
      const timeout = behaviour === 'hang' ? 5 + Math.floor(random() * 20) : 0;
      this.journal.added(name, behaviour);
      this.tasks
        .with({ name, runOn, onClientAbort, retries, timeout, backoff: { delay: 1 } })
        .addAbortableTask((signal, journal: SoakJournal, taskName: string, b: Behaviour) => soakTask(journal, taskName, b, signal), this.journal, name, behaviour);
      names.push(name);
    }
    if (random() < 0.1) {
      const cancelled = pick(random, names);
      if (this.tasks.cancel(cancelled) > 0) this.journal.cancelledByHandler(cancelled);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 3)));
    const ending = random();
    if (ending < 0.1) throw new HttpException('soak says no', 422);
    if (ending < 0.15) throw new Error('soak crashed');
    return { names };
  }
}

@Module({})
export class SoakAppModule {
  static with(journal: SoakJournal, options: BackgroundTasksModuleOptions): DynamicModule {
    return {
      module: SoakAppModule,
      imports: [BackgroundTasksModule.forRoot(options)],
      controllers: [SoakController],
      providers: [{ provide: SoakJournal, useValue: journal }],
    };
  }
}
