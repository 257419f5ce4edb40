-- decant:release 1.0.0
-- Demo data: six applicants whose e-mail addresses were typed in by hand, and
-- 244 generated ones, enough for the 1.1.0 backfill to take several batches.
INSERT INTO applicant (id, first_name, last_name, email) VALUES
    (1, 'Ada', 'Lovelace', ' Ada.Lovelace@Example.ORG'),
    (2, 'Grace', 'Hopper', 'grace@NAVY.mil '),
    (3, 'Katherine', 'Johnson', 'KJohnson@NASA.gov'),
    (4, 'Alan', 'Turing', 'alan.turing@example.org'),
    (5, 'Edsger', 'Dijkstra', 'EWD@CS.UTEXAS.EDU'),
    (6, 'Barbara', 'Liskov', 'liskov@mit.edu');

INSERT INTO applicant (id, first_name, last_name, email)
WITH RECURSIVE n(i) AS (SELECT 7 UNION ALL SELECT i + 1 FROM n WHERE i < 250)
SELECT i, 'Applicant', 'Number ' || CAST(i AS TEXT), 'applicant' || CAST(i AS TEXT) || '@Example.COM'
FROM n;
