INSERT INTO app.accounts (mood, country, name) SELECT (ARRAY['sad', 'ok', 'happy'])[1 + g % 3]::types.mood, 'DEU', 'Abc ' || g FROM generate_series(1, 40) g;
INSERT INTO app.events (account_id, moods) SELECT 1000 + g % 40, ARRAY['ok', 'sad']::types.mood[] FROM generate_series(1, 120) g;
