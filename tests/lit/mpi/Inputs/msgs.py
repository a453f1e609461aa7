"""msgs.py R BOUND_KIND < stderr of --stats: the total message count of a
distributed run is at most R*(log2 R + 1) ('tree') or the given number,
and far below the task count. Prints the count."""
import math
import re
import sys

text = sys.stdin.read()
m = re.search(r'ranks: (\d+), messages: (\d+)', text)
tasks = re.search(r'^tasks: (\d+)', text, re.M)
if not m or not tasks:
    sys.exit('no statistics in:\n' + text)
r, msgs, ntasks = int(m.group(1)), int(m.group(2)), int(tasks.group(1))
bound = r * (math.log2(r) + 1) if sys.argv[1] == 'tree' else float(sys.argv[1])
print('messages %d at %d ranks, %d tasks' % (msgs, r, ntasks))
if msgs > bound:
    sys.exit('too many messages: %d > %g' % (msgs, bound))
