-- Run by Debian's sqlite3 (tests/debian/workloads/sqlite3.test).
.mode csv
.import table.csv emp
.mode list
.headers on
CREATE TABLE dept(name TEXT PRIMARY KEY, floor INTEGER, budget REAL);
INSERT INTO dept VALUES ('eng', 3, 1.5e6), ('ops', 1, 250000.0), ('sales', 2, 8e5),
                        ('legal', 4, 123456.0), ('hr', 1, NULL);
CREATE INDEX emp_dept ON emp(dept);
CREATE INDEX emp_salary ON emp(CAST(salary AS INTEGER));
SELECT count(*), sum(salary), min(date), max(date) FROM emp;
SELECT e.dept, d.floor, count(*) AS n, avg(CAST(salary AS INTEGER)) AS avg_salary,
       printf('%.2f', total(salary) / 1000.0) AS k
  FROM emp e LEFT JOIN dept d ON d.name = e.dept
 GROUP BY e.dept ORDER BY n DESC, e.dept;
SELECT id, name, salary FROM emp WHERE CAST(salary AS INTEGER) > 199000 ORDER BY CAST(salary AS INTEGER) DESC, id LIMIT 5;
SELECT substr(date, 1, 4) AS year, count(*) FROM emp GROUP BY year HAVING count(*) > 340 ORDER BY year;
WITH RECURSIVE fib(n, a, b) AS (SELECT 1, 0, 1 UNION ALL SELECT n + 1, b, a + b FROM fib WHERE n < 80)
SELECT n, a FROM fib WHERE n % 10 = 0;
WITH RECURSIVE cnt(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM cnt WHERE x < 10000)
SELECT sum(x), sum(x * x), group_concat(x % 10, '') FILTER (WHERE x < 30) FROM cnt;
SELECT dept, name, salary, rank() OVER (PARTITION BY dept ORDER BY CAST(salary AS INTEGER) DESC) AS r
  FROM emp WHERE id < 200 ORDER BY dept, r, name LIMIT 12;
SELECT 1.0 / 3, 2e300 * 1e10, -0.0, round(2.675, 2), 9223372036854775807 + 0, 7 / 2, -7 % 3, abs(-9223372036854775807);
SELECT hex(zeroblob(4)), upper('straße'), length('héllo'), instr('banana', 'nan'), replace('aaa', 'a', 'bb'),
       quote(x'00ff'), typeof(1), typeof(1.0), typeof('1'), typeof(NULL), julianday('2024-02-29 12:00:00');
SELECT date('2024-01-31', '+1 month'), strftime('%s', '2000-01-01'), datetime(0, 'unixepoch');
BEGIN;
UPDATE emp SET salary = CAST(salary AS INTEGER) + 1000 WHERE dept = 'hr';
DELETE FROM emp WHERE id % 97 = 0;
COMMIT;
SELECT count(*), sum(salary) FROM emp;
EXPLAIN QUERY PLAN SELECT * FROM emp WHERE dept = 'ops';
CREATE TABLE kv(k INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID;
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000)
INSERT INTO kv SELECT x, 'v' || x * x FROM c;
SELECT count(*), max(length(v)), sum(k) FROM kv;
VACUUM;
