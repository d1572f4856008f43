package io.tidemark.operator.rollout;

import java.math.BigInteger;

/** Orders Flyway versions ("7" < "2025.01.31.2", "1.10" > "1.9"; "_" and "." are the same). */
public final class RevisionOrder {
  private RevisionOrder() {}

  public static int compare(String a, String b) {
    String[] x = normalize(a).split("\\.");
    String[] y = normalize(b).split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      BigInteger p = i < x.length ? new BigInteger(x[i]) : BigInteger.ZERO;
      BigInteger q = i < y.length ? new BigInteger(y[i]) : BigInteger.ZERO;
      int c = p.compareTo(q);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static String normalize(String v) {
    String s = v == null || v.isBlank() ? "0" : v.trim().replace('_', '.');
    return s.matches("[0-9]+(\\.[0-9]+)*") ? s : "0";
  }
}
