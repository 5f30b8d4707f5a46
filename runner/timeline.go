package runner

import (
	"fmt"
	"time"
)

// htmlTimeline is the report's picture of where the time went: time on x, one row per scenario that
// ran, each step a segment coloured by its outcome, with a mark where a step exchanged messages. It is
// drawn in a 1000-unit-wide SVG stretched to the page, so x is a share of the run's wall time.
type htmlTimeline struct {
	Height float64
	Rows   []htmlRow
	Ticks  []htmlTick
}

type htmlRow struct {
	Anchor, Name, Status string
	Duration             time.Duration
	Y, H                 float64
	Steps                []htmlSegment
}

type htmlSegment struct {
	X, W      float64
	Status    string
	Title     string
	Exchanges int
}

type htmlTick struct {
	Percent float64
	Label   string
}

// timelineWidth is the SVG's width in its own units.
const timelineWidth = 1000

// timeline draws the scenarios that ran, and returns the run's wall time from the first scenario's
// start to the last one's end. Anchors are the scenarios' positions in records, as writeHTML names them.
func timeline(records []ScenarioRecord) (htmlTimeline, time.Duration) {
	var start, end time.Time
	var ran []int
	for i, rec := range records {
		if rec.Status == StatusSkipped {
			continue
		}
		ran = append(ran, i)
		if start.IsZero() || rec.Started.Before(start) {
			start = rec.Started
		}
		if e := rec.Started.Add(rec.Duration); e.After(end) {
			end = e
		}
	}
	var t htmlTimeline
	if len(ran) == 0 {
		return t, 0
	}
	wall := end.Sub(start)
	span := max(wall, time.Millisecond)
	x := func(at time.Time) float64 { return timelineWidth * float64(at.Sub(start)) / float64(span) }
	// Rows shrink as scenarios add up, so the picture stays small: about 330 px for a whole suite.
	h := min(10, max(3, 330/float64(len(ran))))
	for n, i := range ran {
		rec := records[i]
		row := htmlRow{Anchor: fmt.Sprintf("sc-%d", i+1), Name: rec.Name, Status: rec.Status, Duration: rec.Duration, Y: float64(n) * h, H: max(1, h-1)}
		at := rec.Started
		for _, st := range rec.Steps {
			seg := htmlSegment{X: x(at), W: max(0.5, x(at.Add(st.Duration))-x(at)), Status: st.Status, Exchanges: len(st.Exchanges),
				Title: fmt.Sprintf("%s — %s in %s", st.Text, st.Status, st.Duration.Round(time.Microsecond))}
			if len(st.Exchanges) > 0 {
				seg.Title += fmt.Sprintf(", %d exchange(s)", len(st.Exchanges))
			}
			row.Steps = append(row.Steps, seg)
			at = at.Add(st.Duration)
		}
		t.Rows = append(t.Rows, row)
	}
	t.Height = float64(len(ran)) * h
	for i := range 5 {
		t.Ticks = append(t.Ticks, htmlTick{Percent: float64(i) * 25, Label: (span * time.Duration(i) / 4).Round(time.Millisecond).String()})
	}
	return t, wall
}
