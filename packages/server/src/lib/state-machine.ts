import { AppError } from './errors.ts';

/** One move of a machine, as guards and effects see it. */
export interface Step<S extends string> {
  readonly from: S;
  readonly to: S;
}

/** A side effect of entering a state; runs in the caller's transaction, in list order. */
export type Effect<S extends string, C> = (ctx: C, step: Step<S>) => Promise<void>;

export interface MachineSpec<S extends string, C> {
  /** Names the entity in error messages (`An order`, `A cart`). */
  readonly subject: string;
  /** Every allowed move: state → the states it may go to. Anything else is 409 `invalid_transition`. */
  readonly transitions: Readonly<Record<S, readonly S[]>>;
  /** Refuses a move the table allows but the entity does not (throws an `AppError`). */
  readonly guard?: (ctx: C, step: Step<S>) => void | Promise<void>;
  /** Effects of entering a state, before the new state is recorded (stock, items). */
  readonly onEnter?: Partial<Record<S, readonly Effect<S, C>[]>>;
  /** Records the new state (row update, history, the generic `*.updated` event); every move. */
  readonly record?: Effect<S, C>;
  /** Effects after the state is recorded (state-specific events such as `order.confirmed`). */
  readonly announce?: Partial<Record<S, readonly Effect<S, C>[]>>;
}

/**
 * A status field's one transition table, its guard and the side effects of entering each state
 * (STYLE habit 8). Orders and carts use it; payments, reservations and subscriptions can too.
 */
export class StateMachine<S extends string, C> {
  readonly spec: MachineSpec<S, C>;

  constructor(spec: MachineSpec<S, C>) {
    this.spec = spec;
  }

  /** Whether `from → to` is in the table. */
  can(from: S, to: S): boolean {
    return this.spec.transitions[from].includes(to);
  }

  /** The states from which `to` can be reached (e.g. for a conditional bulk update). */
  sources(to: S): S[] {
    return (Object.keys(this.spec.transitions) as S[]).filter((from) => this.can(from, to));
  }

  /** 409 `invalid_transition` (details `from`, `to`) unless `from → to` is in the table. */
  assert(from: S, to: S, message?: string): void {
    if (!this.can(from, to)) {
      throw new AppError(
        'invalid_transition',
        message ?? `${this.spec.subject} cannot go from ${from} to ${to}`,
        { from, to },
      );
    }
  }

  /** Checks the move, runs the guard, the entry effects, the record step, then the announcements. */
  async transition(ctx: C, from: S, to: S): Promise<void> {
    this.assert(from, to);
    const step: Step<S> = { from, to };
    await this.spec.guard?.(ctx, step);
    for (const effect of this.spec.onEnter?.[to] ?? []) await effect(ctx, step);
    await this.spec.record?.(ctx, step);
    for (const effect of this.spec.announce?.[to] ?? []) await effect(ctx, step);
  }
}

export function defineMachine<S extends string, C>(spec: MachineSpec<S, C>): StateMachine<S, C> {
  return new StateMachine(spec);
}
