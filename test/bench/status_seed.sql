-- Seeds farmers and contracts in bulk for the status benchmark (scripts/bench-status.sh):
--
--   SET @farmers = 100000, @contracts = 1000000; SOURCE test/bench/status_seed.sql;
--
-- into an initialised node database without tokens (the script checks that first). The
-- mix is meant to look like a live node: per ten farmers six are online, three went offline
-- after a while, one never took a contract; eight in ten have a city (40 places), one only a
-- country, one nothing. Contracts go to the nine farmers per ten that took any, evenly;
-- an online farmer's contracts expire over the next hour (so the sweep has work while the
-- benchmark runs), an offline farmer's expired in the past and are already swept. The farmer
-- summaries are then computed from the contracts, so they agree exactly. Times are relative to
-- the moment of seeding; ids and addresses are derived from the farmer's number with SHA-2.

SET SESSION unique_checks = 0;
SET @now = CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED);
SET @hour = 3600000;
SET @day = 86400000;
SET @contracted = @farmers - @farmers DIV 10;  -- farmers 0..8 of every ten

CREATE TEMPORARY TABLE seed_places (
  n INT NOT NULL PRIMARY KEY, city VARCHAR(64), country VARCHAR(64), state VARCHAR(64),
  zip VARCHAR(16), lat DOUBLE, lon DOUBLE);
INSERT INTO seed_places VALUES
 (0,'London','United Kingdom','England',NULL,51.5142,-0.0931),
 (1,'Berlin','Germany','Land Berlin','10115',52.52,13.405),
 (2,'Paris','France','Île-de-France','75001',48.8566,2.3522),
 (3,'Madrid','Spain','Madrid','28001',40.4168,-3.7038),
 (4,'Rome','Italy','Lazio','00100',41.9028,12.4964),
 (5,'Amsterdam','Netherlands','North Holland','1011',52.3676,4.9041),
 (6,'Stockholm','Sweden','Stockholm','111 20',59.3293,18.0686),
 (7,'Linköping','Sweden','Östergötland County',NULL,58.4167,15.6167),
 (8,'Warsaw','Poland','Mazovia','00-001',52.2297,21.0122),
 (9,'Prague','Czechia','Prague','110 00',50.0755,14.4378),
 (10,'Vienna','Austria','Vienna','1010',48.2082,16.3738),
 (11,'Zurich','Switzerland','Zurich','8001',47.3769,8.5417),
 (12,'Dublin','Ireland','Leinster','D01',53.3498,-6.2603),
 (13,'Lisbon','Portugal','Lisbon','1100',38.7223,-9.1393),
 (14,'Helsinki','Finland','Uusimaa','00100',60.1699,24.9384),
 (15,'Oslo','Norway','Oslo','0150',59.9139,10.7522),
 (16,'Moscow','Russia','Moscow','101000',55.7558,37.6173),
 (17,'Kyiv','Ukraine','Kyiv City','01001',50.4501,30.5234),
 (18,'Istanbul','Turkey','Istanbul','34000',41.0082,28.9784),
 (19,'Cairo','Egypt','Cairo Governorate',NULL,30.0444,31.2357),
 (20,'Lagos','Nigeria','Lagos',NULL,6.5244,3.3792),
 (21,'Nairobi','Kenya','Nairobi County',NULL,-1.2921,36.8219),
 (22,'Cape Town','South Africa','Western Cape','8001',-33.9249,18.4241),
 (23,'Dubai','United Arab Emirates','Dubai',NULL,25.2048,55.2708),
 (24,'Mumbai','India','Maharashtra','400001',19.076,72.8777),
 (25,'Singapore','Singapore',NULL,'59',1.3521,103.8198),
 (26,'Changchun','China','Jilin Sheng',NULL,43.88,125.3228),
 (27,'Shanghai','China','Shanghai',NULL,31.2304,121.4737),
 (28,'Tokyo','Japan','Tokyo','100-0001',35.6762,139.6503),
 (29,'Seoul','South Korea','Seoul',NULL,37.5665,126.978),
 (30,'Sydney','Australia','New South Wales','2000',-33.8688,151.2093),
 (31,'Melbourne','Australia','Victoria','3000',-37.8136,144.9631),
 (32,'Auckland','New Zealand','Auckland','1010',-36.8485,174.7633),
 (33,'San Diego','United States','California','92101',32.7203,-117.1552),
 (34,'Milton','United States','Washington','98354',47.2513,-122.3149),
 (35,'New York','United States','New York','10001',40.7128,-74.006),
 (36,'Chicago','United States','Illinois','60601',41.8781,-87.6298),
 (37,'Toronto','Canada','Ontario','M5H',43.6532,-79.3832),
 (38,'Mexico City','Mexico','Mexico City','06000',19.4326,-99.1332),
 (39,'São Paulo','Brazil','São Paulo','01000',-23.5505,-46.6333);

-- Farmers: number j = seq - 1. Row ids follow j (a fresh table), which the contracts use.
INSERT INTO addresses (address, crowdsale_balance, created_ms, changed_ms)
SELECT DISTINCT CONCAT('1S', LEFT(SHA2(CONCAT('seed address ', (seq - 1) DIV 2), 256), 32)), 1000000, @now, @now
FROM seq_1_to_1000000 WHERE seq <= @farmers;

INSERT INTO tokens (token_hash, farmer_id, address, ip, location_city, location_country,
                    location_state, location_zip, location_lat, location_lon, created_ms,
                    heartbeats, changed_ms)
SELECT UNHEX(SHA2(CONCAT('seed token ', j), 256)),
       LEFT(SHA2(CONCAT('seed farmer ', j), 256), 20),
       CONCAT('1S', LEFT(SHA2(CONCAT('seed address ', j DIV 2), 256), 32)),
       CONCAT('10.', (j >> 16) & 255, '.', (j >> 8) & 255, '.', j & 255),
       IF(j % 10 < 8, p.city, NULL), IF(j % 10 < 9, IF(j % 10 = 8, 'Bhutan', p.country), NULL),
       IF(j % 10 < 8, p.state, NULL), IF(j % 10 < 8, p.zip, NULL),
       IF(j % 10 < 8, p.lat, NULL), IF(j % 10 < 8, p.lon, NULL),
       @now - 40 * @day,
       IF(j % 10 = 9, 0, (j * 7919) % 50000),
       @now
FROM (SELECT seq - 1 AS j FROM seq_1_to_1000000 WHERE seq <= @farmers) s
JOIN seed_places p ON p.n = (s.j * 13) % 40;

SELECT MIN(id) - 1 INTO @base FROM tokens;

-- Contracts: k = seq - 1 goes to contracted farmer g = k * @contracted DIV @contracts, i.e.
-- farmer number j = (g DIV 9) * 10 + g % 9: an even spread, in farmer order, so the indexes
-- on (token_id, file_hash) and file_id grow at their ends instead of all over. Online farmers (j % 10 < 6): expire in (5 s, 1 h]; offline
-- ones (6..8): expired 1 to 10 days ago, swept. Mostly 32 KiB, every 16th 1 MiB.
INSERT INTO contracts (token_id, file_id, file_hash, size, state, challenge, challenge_json,
                       due_ms, answered, expiration_ms, interval_ms, online, created_ms)
SELECT @base + 1 + j, k + 1, UNHEX(SHA2(CONCAT('seed file ', k), 256)),
       IF(k % 16 = 0, 1048576, 32768), '', '', '{}',
       e - IF(on_, 60000, 0), on_, e, 60000, on_, e - 3 * @day
FROM (SELECT k, j, j % 10 < 6 AS on_,
             IF(j % 10 < 6, @now + 5000 + (k * 104729) % @hour,
                            @now - @day - (k * 104729) % (9 * @day)) AS e
      FROM (SELECT seq - 1 AS k, ((seq - 1) * @contracted DIV @contracts DIV 9) * 10 + (seq - 1) * @contracted DIV @contracts % 9 AS j
            FROM seq_1_to_10000000 WHERE seq <= @contracts) c) x;

-- The farmer summaries from their contracts: online since `start` = first contract + 0, 12
-- or 24 h, and before that online for up to 18 h of that time (so uptimes spread out).
UPDATE tokens t
JOIN (SELECT token_id, MAX(expiration_ms) AS e, SUM(online) AS n, SUM(IF(online = 1, size, 0)) AS bytes,
             MIN(created_ms) AS first
      FROM contracts GROUP BY token_id) c ON c.token_id = t.id
SET t.first_contract_ms = c.first,
    t.online_start_ms = c.first + ((t.id - @base - 1) % 3) * (@day DIV 2),
    t.online_end_ms = GREATEST(c.e, c.first + ((t.id - @base - 1) % 3) * (@day DIV 2)),
    t.covered_ms = LEAST(((t.id - @base - 1) % 3) * (@day DIV 2), ((t.id - @base - 1) % 7) * 3 * @hour),
    t.contracts_online = c.n,
    t.size_online = c.bytes,
    t.last_due_ms = c.e - IF(c.n > 0, 60000, 0);

DROP TEMPORARY TABLE seed_places;
SELECT (SELECT COUNT(*) FROM tokens) AS farmers, (SELECT COUNT(*) FROM contracts) AS contracts,
       (SELECT COUNT(*) FROM tokens WHERE online_end_ms > @now) AS online;
