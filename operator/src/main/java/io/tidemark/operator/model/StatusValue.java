package io.tidemark.operator.model;

/**
 * A status value Tidemark persists as a fixed string. The Java side is an enum; the stored JSON
 * keeps the strings earlier versions wrote, and a value this version does not know reads as null
 * (never an exception), so an old or foreign value can never stop a reconcile.
 */
public interface StatusValue {
  /** The string stored in the status. */
  String value();

  /** The constant whose {@link #value()} is {@code text}; null for null or an unknown text. */
  static <E extends Enum<E> & StatusValue> E parse(E[] values, String text) {
    for (E e : values) {
      if (e.value().equals(text)) {
        return e;
      }
    }
    return null;
  }
}
