-- sqlbench.sql — a sqlite3 workload for `make bench` (in-memory database):
-- 80,000 inserts in one transaction from a recursive CTE, an index build,
-- then aggregate, join, sort and window queries.  Integer arithmetic only,
-- so every build prints the same text.
PRAGMA journal_mode = OFF;
CREATE TABLE item(id INTEGER PRIMARY KEY, grp INTEGER, name TEXT, qty INTEGER, price INTEGER);
CREATE TABLE grp(id INTEGER PRIMARY KEY, label TEXT);
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 80000)
INSERT INTO item(id, grp, name, qty, price)
SELECT i, (i * 7919) % 500, printf('item-%06d-%x', i, (i * 2654435761) % 65536),
       (i * 31) % 97, (i * 1103515245 + 12345) % 100000 FROM n;
WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < 499)
INSERT INTO grp SELECT i, 'group ' || i FROM g;
COMMIT;
CREATE INDEX item_grp ON item(grp, price);
SELECT count(*), sum(qty), sum(price) % 1000003, max(length(name)) FROM item;
SELECT grp, count(*), sum(qty * price) % 1000003 FROM item GROUP BY grp ORDER BY 3 DESC, grp LIMIT 5;
SELECT g.label, count(*) FROM item i JOIN grp g ON g.id = i.grp
 WHERE i.price BETWEEN 25000 AND 26000 GROUP BY g.label ORDER BY 2 DESC, 1 LIMIT 5;
SELECT name FROM item WHERE name LIKE '%-00ff%' ORDER BY name LIMIT 5;
SELECT grp, price, rnk FROM (SELECT grp, price, rank() OVER (PARTITION BY grp ORDER BY price DESC) AS rnk
  FROM item) WHERE rnk <= 1 ORDER BY price DESC, grp LIMIT 5;
UPDATE item SET qty = qty + 1 WHERE grp % 3 = 0;
DELETE FROM item WHERE price < 5000;
SELECT count(*), sum(qty) FROM item;
SELECT substr(group_concat(id, ','), 1, 60) FROM (SELECT id FROM item ORDER BY price, id LIMIT 50);
