-- 002_address_lock_version: a counter on each whitelisted address that transactions bump to
-- serialise with each other on that address across every member of a Galera cluster.
--
-- Galera certifies writes only: a SELECT ... FOR UPDATE (or LOCK IN SHARE MODE) taken on one
-- member never conflicts with one taken on another, so two chunk draws for one address on two
-- members both passed the per-address size limit, and a token could be created on one member
-- for an address the whitelist was removing on another. Incrementing this column is a real row
-- change: on one server it takes the row lock as before, and in a cluster the second of two
-- such transactions fails certification (deadlock error 1213) and is run again by the store.
ALTER TABLE addresses ADD COLUMN IF NOT EXISTS lock_version BIGINT NOT NULL DEFAULT 0;
