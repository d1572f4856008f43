package io.tidemark.local;

/**
 * {@code java -jar tidemark-local.jar [--keep-running] [--examples DIR] [--kubeconfig FILE]}: local
 * mode ({@link LocalMode}). This jar is for a laptop and for tests; the operator's own jar ({@code
 * tidemark-operator.jar run}) holds none of it: no mock API server, no embedded PostgreSQL, no
 * runner.
 */
public final class LocalMain {
  private LocalMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1
        && ("-h".equals(args[0]) || "--help".equals(args[0]) || "help".equals(args[0]))) {
      System.out.println("usage: " + LocalMode.USAGE);
      System.out.println(
          "  The operator, an in-process API server, an embedded PostgreSQL and the local Job");
      System.out.println(
          "  executor, applying examples/todo and showing the status as it changes.");
      System.out.println(
          "  --keep-running     keep everything running after the walkthrough, until Ctrl-C");
      System.out.println(
          "  --examples DIR     the example to apply (default examples/todo, from the repository's root)");
      System.out.println(
          "  --kubeconfig FILE  that API server instead of the in-process one, this machine joining");
      System.out.println("                     as a Node");
      return;
    }
    System.exit(LocalMode.run(args, System.out));
  }
}
