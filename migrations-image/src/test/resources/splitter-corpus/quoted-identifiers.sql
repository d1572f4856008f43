-- statements: 3
-- Quoted identifiers: semicolons, doubled quotes and dollar signs inside.
CREATE TABLE "odd;name" ("col;1" int, "has""quote;" text, "$$" int);
CREATE INDEX "idx;--x" ON "odd;name" ("col;1");
SELECT "col;1" AS "/* not a comment */" FROM "odd;name"
