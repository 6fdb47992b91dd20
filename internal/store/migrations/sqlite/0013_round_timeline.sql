-- A round's timeline (部署 → 自查自评 → 实地考察 → 社会评议 → 履职报告会 → 现场评议), as JSON [{name, date}].
ALTER TABLE rounds ADD COLUMN timeline TEXT NOT NULL DEFAULT '[]';
