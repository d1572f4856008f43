package io.tidemark.operator.reconcile;

import java.time.Duration;

/** How one pass of the flow ended: go on to the next step now, or wait (maybe with a timer). */
record FlowOutcome(boolean proceed, Duration recheckAfter) {
  static final FlowOutcome PROCEED = new FlowOutcome(true, null);

  static FlowOutcome waitForEvents() {
    return new FlowOutcome(false, null);
  }

  static FlowOutcome recheckAfter(Duration delay) {
    return new FlowOutcome(false, delay);
  }
}
