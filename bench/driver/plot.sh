# shellcheck shell=bash
# The plot of docs/benchmarks.md: median time against the number of /bin/true stages, one line
# per launcher, drawn with gnuplot: the total on log scales, and the time per stage, where the
# launchers' differences show. Sourced by run.sh.

draw_plot() {
    PLOT_FILE=""
    if ! command -v gnuplot >/dev/null; then
        say "bench: gnuplot is not installed: no plot"
        return 0
    fi
    local data="$RAW_DIR/stages.dat"
    write_stage_table "$data"
    PLOT_FILE="$OUT_DIR/benchmarks.png"
    local script="$RAW_DIR/stages.gnuplot" column=2 tool total=() per_stage=()
    local colors=("#d62728" "#1f77b4" "#2ca02c" "#ff7f0e" "#9467bd")
    for tool in "${TOOLS[@]}"; do
        local style="with linespoints lw 2 pt 7 lc rgb '${colors[column - 2]}' title '$tool'"
        total+=("'$data' using 1:$column $style")
        per_stage+=("'$data' using 1:(\$$column * 1000 / \$1) $style")
        column=$((column + 1))
    done
    {
        echo "set terminal pngcairo size 1200,520 font 'sans,11'"
        echo "set output '$PLOT_FILE'"
        echo "set datafile missing '?'; set grid; set key top left"
        echo "set logscale x; set xtics ($(IFS=,; echo "${SWEEP_STAGES[*]}")); set xlabel 'stages of /bin/true'"
        echo "set multiplot layout 1,2 title 'pipex and its peers, median of $RUNS runs'"
        echo "set logscale y; set ylabel 'milliseconds'; set title 'time to run the pipeline'"
        echo "plot $(IFS=,; echo "${total[*]}")"
        echo "unset logscale y; set yrange [0:*]; set key top right; set ylabel 'microseconds per stage'; set title 'time per stage'"
        echo "plot $(IFS=,; echo "${per_stage[*]}")"
        echo "unset multiplot"
    } >"$script"
    gnuplot "$script" || die "gnuplot failed (script: $script)"
}

# stages, then one median per launcher, in the order of TOOLS ("?" when not measured).
write_stage_table() {
    local count tool row value
    {
        echo "# stages ${TOOLS[*]}"
        for count in "${SWEEP_STAGES[@]}"; do
            row="$count"
            for tool in "${TOOLS[@]}"; do
                value=$(result "true_$count" "$tool" median)
                row+=" ${value:-?}"
            done
            echo "$row"
        done
    } >"$1"
}
