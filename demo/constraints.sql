-- demo/constraints.sql — what a careful DBA adds after the bulk load:
-- foreign keys, the indexes the report and the daily work need, and the
-- exclusion constraint and the blacklist index on the blacklist.  Then ANALYZE.

ALTER TABLE regulator.assessment_result
    ADD FOREIGN KEY (institution_id) REFERENCES regulator.institution,
    ADD FOREIGN KEY (year) REFERENCES regulator.assessment_year,
    ADD FOREIGN KEY (indicator) REFERENCES regulator.norm;

ALTER TABLE regulator.employee
    ADD FOREIGN KEY (institution_id) REFERENCES regulator.institution;
CREATE INDEX employee_cnid_idx ON regulator.employee (cnid);
CREATE INDEX employee_institution_idx ON regulator.employee (institution_id);

ALTER TABLE regulator.event
    ADD FOREIGN KEY (employee_id) REFERENCES regulator.employee,
    ADD FOREIGN KEY (module) REFERENCES regulator.module;
CREATE INDEX event_employee_at_idx ON regulator.event (employee_id, at);
CREATE INDEX event_at_idx ON regulator.event USING brin (at);
-- The violations and red-line cases with what the outcomes section counts
-- of them (report.outcomes): read from this index alone, a tenth of the
-- events, once VACUUM below has set the visibility map.
CREATE INDEX event_violation_at_idx ON regulator.event (at) INCLUDE (employee_id, points, module)
    WHERE points < 0 OR module = '红线';

-- No two entries of one person on one list may overlap in time.  The GiST
-- index behind it also serves "is this person on a list at that date".
ALTER TABLE regulator.blacklist
    ADD CONSTRAINT blacklist_no_overlap
        EXCLUDE USING gist (subject WITH =, list WITH =, valid WITH &&),
    ADD FOREIGN KEY (listed_by) REFERENCES regulator.institution;
-- listed(cnid, 'regulator.blacklist', at) screens against the table: its
-- blacklist index answers "not listed" for almost every employee without
-- reading the table, and the btree confirms the few others exactly.
CREATE INDEX blacklist_subject_bl ON regulator.blacklist USING blacklist (subject);
CREATE INDEX blacklist_subject_idx ON regulator.blacklist (subject);

ALTER TABLE regulator.feedback
    ADD FOREIGN KEY (institution_id) REFERENCES regulator.institution,
    ADD FOREIGN KEY (employee_id) REFERENCES regulator.employee;
CREATE INDEX feedback_institution_at_idx ON regulator.feedback (institution_id, at);
CREATE INDEX feedback_employee_idx ON regulator.feedback (employee_id) WHERE employee_id IS NOT NULL;

ALTER TABLE regulator.client
    ADD FOREIGN KEY (institution_id) REFERENCES regulator.institution;
ALTER TABLE regulator.loan
    ADD FOREIGN KEY (client_id) REFERENCES regulator.client,
    ADD FOREIGN KEY (officer_id) REFERENCES regulator.employee;
CREATE INDEX loan_officer_idx ON regulator.loan (officer_id, client_id);
ALTER TABLE regulator.account
    ADD FOREIGN KEY (employee_id) REFERENCES regulator.employee,
    ADD FOREIGN KEY (client_id) REFERENCES regulator.client;
ALTER TABLE regulator.transfer
    ADD FOREIGN KEY (from_account) REFERENCES regulator.account,
    ADD FOREIGN KEY (to_account) REFERENCES regulator.account;
CREATE INDEX transfer_at_idx ON regulator.transfer USING brin (at);

VACUUM regulator.event;
ANALYZE regulator.institution, regulator.assessment_year, regulator.scheme_version, regulator.norm,
        regulator.indicator_version, regulator.assessment_result,
        regulator.employee, regulator.module, regulator.event, regulator.blacklist, regulator.feedback,
        regulator.client, regulator.loan, regulator.account, regulator.transfer, regulator.warning_rule;
