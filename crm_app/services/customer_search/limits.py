"""The search's tuning: how much each plan may read before it gives up and hands over to the next.

Read at call time (``limits.PROBE_LIMIT``), so that the tests can shrink them to force every fallback.
"""

# Candidates: a driver listing at most this many ids at once gives the complete candidate set.
PROBE_LIMIT = 2_000
# The walk first reads at most this many index rows (then candidates, then the unbounded walk).
WALK_WINDOW = 2_500
# The ordered index scan reads the index in batches (the first one at least SCAN_BATCH) and gives up
# after SCAN_BUDGET index rows the first time round.
SCAN_BATCH = 64
SCAN_BUDGET = 4_000
# The page's last name-key group is finished from the index when it has fewer further matches than
# this, else by walking the name index over the group's range.
GROUP_READ = 400
# When the bounded plans give up: candidates from drivers listing at most these many ids (and fewer
# than the unbounded plans are expected to read).
CANDIDATE_CAP = 40_000
CANDIDATE_SEARCH_CAP = 20_000
# PostgreSQL: the trigram index's matches (of the rest, see postgresql.split_page) read back and sorted
# in one query, when at most this many; but a walk expected to read at most PG_WALK_ON more index rows
# (0.3 us each, index-only) just goes on. Past the cap only the unbounded walk is left (up to 860,000
# index rows when a filter rejects every match); reading 20,000 rows back costs far less than that walk.
GIN_CAP = 20_000
# 10,000 rather than 100,000: matches are not spread evenly over the name order (a window over the
# "a" names finds many "mamani pena"), so the extrapolation undercounts; the walk then read 300,000
# rows (80-130 ms) where the trigram index listed those 171 customers in 10 ms.
PG_WALK_ON = 10_000
# 5,000 rather than 20,000: since the split page answers first names in a few ms, a longer window
# mostly read index pages (20,000 rows are 470 pages of 8 KB) before handing over to it.
PG_WALK_WINDOW = 5_000
# A driver listing at most this many ids, and at most NARROW_RATIO times as many as the lead driver,
# narrows down the lead's candidates (intersected in the database).
INTERSECT_CAP = 200_000
NARROW_RATIO = 4
# Several tags: the one with fewest customers (counted up to this) drives the candidates.
TAG_COUNT_CAP = 50_000
