package assess

import (
	"fmt"

	"pufa/internal/app"
)

// Alarm is what the office is warned of about one subject's public votes.
type Alarm struct {
	// OverPopulation is set when the subject has more counted votes than
	// the stage's population allows.
	OverPopulation bool
	// Suspicious lists the votes that arrived in bursts: BurstVotes or
	// more within BurstSeconds. They still count until the office
	// excludes them; the office decides, the engine only points.
	Suspicious []app.ID
	Message    string
}

// VoteAlarm checks one subject's votes, in time order, against the stage's
// settings. Township-organised voting (more votes than residents, a
// hundred votes in a minute) is the abuse public rating has seen.
func VoteAlarm(p PublicSettings, votes []Vote) Alarm {
	var a Alarm
	counted := 0
	for _, v := range votes {
		if !v.Excluded {
			counted++
		}
	}
	n, window := p.Burst()
	marked := make(map[app.ID]bool)
	i := 0
	for j := range votes {
		for votes[j].CreatedAt.Sub(votes[i].CreatedAt) >= window {
			i++
		}
		if j-i+1 >= n {
			for k := i; k <= j; k++ {
				if !marked[votes[k].ID] {
					marked[votes[k].ID] = true
					a.Suspicious = append(a.Suspicious, votes[k].ID)
				}
			}
		}
	}
	var msgs []string
	if p.Population > 0 && counted > p.Population {
		a.OverPopulation = true
		msgs = append(msgs, fmt.Sprintf("计入 %d 票，超过设定的人口数 %d", counted, p.Population))
	}
	if len(a.Suspicious) > 0 {
		msgs = append(msgs, fmt.Sprintf("%d 票集中出现（%d 秒内达到 %d 票以上）", len(a.Suspicious), int(window.Seconds()), n))
	}
	for i, m := range msgs {
		if i > 0 {
			a.Message += "；"
		}
		a.Message += m
	}
	return a
}
