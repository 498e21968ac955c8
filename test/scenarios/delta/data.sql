INSERT INTO customers (id, email, full_name, tier, updated_at)
SELECT g, 'person' || g || '@example.com', 'Person ' || g, CASE WHEN g % 3 = 0 THEN 'gold' ELSE 'basic' END, timestamptz '2026-01-01' + g * interval '1 minute'
  FROM generate_series(1, __CUSTOMERS__) g;
INSERT INTO orders (id, customer_id, total, updated_at)
SELECT g, 1 + g % __CUSTOMERS__, (g % 500) + 0.25, timestamptz '2026-01-02' + g * interval '1 second' FROM generate_series(1, __ORDERS__) g;
INSERT INTO order_lines (order_id, line, sku, qty, updated_at)
SELECT o, l, 'SKU-' || (o * 7 + l) % 97, l, timestamp '2026-01-03' FROM generate_series(1, __ORDERS__) o, generate_series(1, 3) l;
INSERT INTO countries VALUES ('DE', 'Germany'), ('FR', 'France'), ('IT', 'Italy');
INSERT INTO audit_notes (note) VALUES ('first'), ('second');
