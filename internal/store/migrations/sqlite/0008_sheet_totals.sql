-- Aggregating a round reads each submitted sheet's subject, stage and total; a covering index lets it do
-- so without reading the sheets' stored inputs and results (JSON that makes a row hundreds of bytes).
CREATE INDEX sheets_totals ON sheets(round_id, status, subject_id, stage_id, total);
