package io.tidemark.migrate;

/** Placeholder entry point; the runner replaces it. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String[] args) {
    return 3;
  }
}
