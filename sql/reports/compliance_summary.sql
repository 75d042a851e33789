-- Compliance summary: one row per sensor, capture and requirement set
-- (verdict column), with how many requirements passed, failed (and how
-- many of those failures are of severity error, which make ringscope
-- exit 1) or were not observed, and the IDs of the failing ones.
--
--   sqlite3 -header -column DB < compliance_summary.sql
WITH cap AS (
    SELECT id,
           COALESCE(sensor, '-') AS sensor,
           replace(source, rtrim(source, replace(source, '/', '')), '')
               AS file
    FROM captures
),
failing AS (
    SELECT capture_id, set_name, requirement
    FROM requirements
    WHERE verdict = 'FAIL'
    ORDER BY capture_id, set_name, requirement
)
SELECT cap.sensor,
       cap.id AS capture,
       cap.file,
       r.set_name,
       SUM(r.verdict = 'PASS') AS pass,
       SUM(r.verdict = 'FAIL') AS fail,
       SUM(r.verdict = 'FAIL' AND r.severity = 'error') AS fail_error,
       SUM(r.verdict = 'NOT_OBSERVED') AS not_observed,
       COALESCE((SELECT group_concat(f.requirement, ' ')
                 FROM failing f
                 WHERE f.capture_id = r.capture_id
                   AND f.set_name = r.set_name), '') AS failing
FROM requirements r
JOIN cap ON cap.id = r.capture_id
GROUP BY cap.sensor, cap.id, r.set_name
ORDER BY cap.sensor, cap.id, r.set_name;
