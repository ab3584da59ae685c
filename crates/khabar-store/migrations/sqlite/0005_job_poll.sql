-- Which poll queued an entry job (a fetch_log id), so that a worker which
-- stores the article credits that poll's `stories_added`. Without it a
-- source polled by workers showed 0 stories added on every poll, because
-- the stories are stored after the poll is recorded, by other jobs.
-- No foreign key: fetch_log keeps only a source's last 50 polls, and a job
-- may outlive its poll's row, which then simply gets no credit.
ALTER TABLE entry_jobs ADD COLUMN fetch_id INTEGER;
