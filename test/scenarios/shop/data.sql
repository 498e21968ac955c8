INSERT INTO company VALUES (1, 'Acme Real Name GmbH', 'https://acme.example/logo.png');
INSERT INTO customers (email, first_name, phone, notes, api_token, created_at)
SELECT 'customer' || g || '@source.test', 'First' || g, '(555) 010-' || lpad(g::text, 4, '0'),
       CASE WHEN g % 3 = 0 THEN NULL ELSE E'Note with, comma "quote"\nand newline ' || g END,
       'tok_' || md5(g::text), timestamptz '2024-01-01' + g * interval '1 hour'
FROM generate_series(1, __CUSTOMERS__) g;
INSERT INTO orders (customer_id, amount, status, created_at)
SELECT 1 + g % __CUSTOMERS__, (g % 1000) / 3.0, (ARRAY['paid', 'shipped', 'refunded'])[1 + g % 3], timestamptz '2024-01-01' + g * interval '1 min'
FROM generate_series(1, __ORDERS__) g;
