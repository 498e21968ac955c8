-- Generated fake data (no real people). updated_at values are fixed in the past so that a
-- trigger firing during the load would be visible.
INSERT INTO public.customers (full_name, email, phone, created_at, updated_at)
SELECT 'Customer ' || i, 'customer' || i || '@example.test', '+1-555-' || lpad(i::text, 4, '0'),
  timestamptz '2024-01-01 00:00+00' + i * interval '1 hour',
  timestamptz '2024-06-01 00:00+00' + i * interval '1 hour'
FROM generate_series(1, 200) AS i;

INSERT INTO public.products (name, description, price)
SELECT 'Product ' || i, CASE WHEN i % 3 = 0 THEN NULL ELSE 'A sturdy item number ' || i END, (i * 1.25)::numeric(12, 2)
FROM generate_series(1, 50) AS i;

INSERT INTO public.orders (customer_id, status, placed_at)
SELECT 1 + (i * 7) % 200, (ARRAY['pending', 'paid', 'shipped', 'cancelled']::public.order_status[])[1 + i % 4],
  timestamptz '2025-03-01 00:00+00' + i * interval '9 hours'
FROM generate_series(1, 1000) AS i;

INSERT INTO public.order_items (order_id, placed_at, product_id, quantity, unit_price)
SELECT o.id, o.placed_at, 1 + (o.id * k) % 50, 1 + (o.id + k) % 5, (1 + (o.id * k) % 50) * 1.25
FROM public.orders o CROSS JOIN generate_series(1, 3) AS k;

INSERT INTO public.audit_log (message) SELECT 'event ' || i FROM generate_series(1, 20) AS i;
REFRESH MATERIALIZED VIEW public.product_sales;
SELECT nextval('public.invoice_number_seq') FROM generate_series(1, 5);
INSERT INTO public.stock (sku, quantity) SELECT 'SKU-' || (100000 + i), i FROM generate_series(1, 10) AS i;
