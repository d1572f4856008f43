package io.tidemark.migrate;

import java.io.PrintStream;

/**
 * The only way the runner writes to stdout and stderr: everything passes through the redactor, so a
 * password cannot leak through an exception message or a driver's text.
 */
public final class Console {
  private final PrintStream out;
  private final PrintStream err;
  private final Redactor redactor;

  public Console(PrintStream out, PrintStream err, Redactor redactor) {
    this.out = out;
    this.err = err;
    this.redactor = redactor;
  }

  /** Command output: what the user asked for. */
  public void out(String text) {
    out.println(redactor.redact(text));
    out.flush();
  }

  /** Errors and warnings. */
  public void err(String text) {
    err.println(redactor.redact(text));
    err.flush();
  }

  /** Progress of long runs, on stderr so that stdout stays machine-readable. */
  public void progress(String text) {
    err("tidemark: " + text);
  }

  public Redactor redactor() {
    return redactor;
  }
}
