/**
 * The flow through the steps: which step is shown, which can be entered, and where focus goes
 * when the step changes (the host passes `onenter`, which moves focus to the new step's heading).
 */
export const STEPS = [
  { id: 'device', title: 'Device' },
  { id: 'image', title: 'Image' },
  { id: 'configure', title: 'Configure' },
  { id: 'review', title: 'Review' },
  { id: 'build', title: 'Build' },
  { id: 'done', title: 'Done' },
] as const;

export type StepId = (typeof STEPS)[number]['id'];

export interface FlowOptions {
  /** Whether a step can be entered now (e.g. Configure needs a device). Default: every step. */
  canEnter?: (step: StepId) => boolean;
  /** Called after the step changed (not on start). */
  onenter?: (step: StepId) => void;
}

export class Flow {
  current = $state<StepId>('device');
  readonly index = $derived(STEPS.findIndex((s) => s.id === this.current));
  readonly #options: FlowOptions;

  constructor(options: FlowOptions = {}) {
    this.#options = options;
  }

  canEnter(step: StepId): boolean {
    return this.#options.canEnter?.(step) ?? true;
  }

  /** Shows `step` if it can be entered; returns whether it did. */
  go(step: StepId): boolean {
    if (step === this.current) return true;
    if (!this.canEnter(step)) return false;
    this.current = step;
    this.#options.onenter?.(step);
    return true;
  }

  get next(): StepId | undefined {
    return STEPS[this.index + 1]?.id;
  }

  get previous(): StepId | undefined {
    return STEPS[this.index - 1]?.id;
  }
}
