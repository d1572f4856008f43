package io.tidemark.operator.reconcile;

import java.time.Duration;

/**
 * What a step did: it is done and the flow goes on now, or it has to wait, for the next event (a
 * Job or Pod moves, the spec changes) or for a timer.
 */
record StepResult(boolean proceed, Duration recheckAfter) {
  static final StepResult PROCEED = new StepResult(true, null);

  static StepResult waitForEvents() {
    return new StepResult(false, null);
  }

  static StepResult recheckAfter(Duration delay) {
    return new StepResult(false, delay);
  }
}
