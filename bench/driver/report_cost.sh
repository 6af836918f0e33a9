# shellcheck shell=bash
# shellcheck disable=SC2016  # the backquotes in single quotes are markdown, not expansions
# The cost of the report: pipex-report (pipex --report --report-json, commands.sh) against pipex
# on every workload both ran. Off by default, the report may cost 5% when asked for. The pairs
# and cells are containment.sh's. Sourced by run.sh.

REPORT_LIMIT=1.05

report_cost_target() {
    cost_target "the report's cost (\`--report --report-json\`), every workload" \
        "≤ $REPORT_LIMIT× pipex without it" "$REPORT_LIMIT" pipex-report pipex "without it"
}

report_report_cost() {
    echo "## Cost of the report"
    echo
    echo "\`--report\` and \`--report-json\` read each stage's /proc/PID/io before reaping it, and write"
    echo "both reports once the run is over (src/lib/supervisor.cpp, src/lib/report_*.cpp). Off by"
    echo "default; asked for, within 5% of the same run without them on every workload."
    echo "\`pipex-report\` is pipex given \`--report --report-json /dev/null\`, its stderr sent to"
    echo "/dev/null; it runs beside pipex, alternated with it, with the same pipeline. The ratio is the"
    echo "median, over the rounds, of its time over pipex's in the same round, as for containment."
    echo
    cost_table pipex-report pipex "$REPORT_LIMIT" \
        "| workload | pipex with the report | pipex | ratio | within 5%? |"
}
