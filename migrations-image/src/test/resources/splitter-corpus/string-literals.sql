-- statements: 6
-- String literals: doubled quotes, escape strings, backslashes, Unicode and bit strings.
SELECT 'it''s; fine', '''', '';
SELECT E'back\'; slash', E'\\', e'\\'';still in', E'tab\there';
SELECT 'C:\', 'standard strings: the backslash is plain;';
SELECT U&'d\0061t\+000061;', B'0101', X'1F';
SELECT 'line one;
line two;';
SELECT 'a'
  'continued; across lines'
