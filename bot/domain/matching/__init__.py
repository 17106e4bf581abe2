"""Mentor-mentee matching: a score per pair, hard constraints, and an optimal assignment.

`scoring` turns profiles into a score matrix (one row per mentee, one column per mentor, -1 where
a pair may not be matched); `solver` picks the assignment with the best total score that
respects every mentor's remaining capacity.
"""
