package io.tidemark.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.report.Report;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The classification of catalog differences, on snapshots written by hand: no database. */
class DestructiveChangesTest {
  private static final Map<String, String> ORDERS =
      Map.of(
          "schema public", "",
          "table public.orders", "r p",
          "column public.orders.id", "bigint not null",
          "column public.orders.total", "numeric(10,2) null",
          "index public.orders_pkey",
              "CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id)",
          "constraint public.orders.orders_pkey", "p PRIMARY KEY (id)");

  private static Map<String, String> with(Map<String, String> base, String... keysAndValues) {
    Map<String, String> map = new TreeMap<>(base);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] == null) {
        map.remove(keysAndValues[i]);
      } else {
        map.put(keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return map;
  }

  private static List<String> found(Map<String, String> after, String sql, boolean transactional) {
    return DestructiveChanges.between(ORDERS, after, "7", sql, transactional).stream()
        .map((Report.Finding f) -> f.kind + " " + f.object)
        .toList();
  }

  @Test
  void aNewTableWithItsConstraintsAndIndexesIsHarmless() {
    Map<String, String> after =
        with(
            ORDERS,
            "table public.tags",
            "r p",
            "column public.tags.label",
            "text not null",
            "constraint public.tags.tags_label_key",
            "u UNIQUE (label)",
            "index public.tags_label_key",
            "CREATE UNIQUE INDEX tags_label_key ON public.tags USING btree (label)",
            "column public.orders.note",
            "text null");
    assertThat(found(after, "", true)).isEmpty();
  }

  @Test
  void aDroppedTableIsOneFindingNotOnePerColumnAndIndex() {
    Map<String, String> after =
        with(
            ORDERS,
            "table public.orders",
            null,
            "column public.orders.id",
            null,
            "column public.orders.total",
            null,
            "index public.orders_pkey",
            null,
            "constraint public.orders.orders_pkey",
            null);
    assertThat(found(after, "", true)).containsExactly("TableDropped public.orders");
  }

  @Test
  void anIndexOnAnExistingTableIsFlaggedUnlessBuiltConcurrently() {
    Map<String, String> after =
        with(
            ORDERS,
            "index public.orders_total_idx",
            "CREATE INDEX orders_total_idx ON public.orders USING btree (total)");
    assertThat(found(after, "CREATE INDEX orders_total_idx ON orders (total);", true))
        .containsExactly("IndexNotConcurrent public.orders_total_idx");
    assertThat(
            found(
                after,
                "create index concurrently if not exists orders_total_idx on orders (total);",
                false))
        .isEmpty();
    // Another index built concurrently in the same script does not excuse this one.
    assertThat(
            found(after, "CREATE INDEX CONCURRENTLY orders_total_idx2 ON orders (total);", false))
        .containsExactly("IndexNotConcurrent public.orders_total_idx");
  }

  @Test
  void typeNullabilityAndDefaults() {
    assertThat(found(with(ORDERS, "column public.orders.total", "numeric(12,2) null"), "", true))
        .containsExactly("ColumnTypeChanged public.orders.total");
    assertThat(
            found(with(ORDERS, "column public.orders.total", "numeric(10,2) not null"), "", true))
        .containsExactly("NotNullAdded public.orders.total");
    assertThat(
            found(
                with(ORDERS, "column public.orders.total", "numeric(10,2) null default 0"),
                "",
                true))
        .as("a default alone is harmless")
        .isEmpty();
    assertThat(
            found(
                with(ORDERS, "column public.orders.state", "text not null default 'open'::text"),
                "",
                true))
        .as("a new NOT NULL column with a default fills existing rows")
        .isEmpty();
  }
}
