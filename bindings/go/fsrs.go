// SPDX-License-Identifier: MIT

package alliance

/*
#include <alliance.h>
*/
import "C"

import (
	"fmt"
	"time"
	"unsafe"
)

// FSRS ratings and the parameters' layout version, from the header.
const (
	FSRS_AGAIN          = int(C.ALLIANCE_FSRS_AGAIN)
	FSRS_HARD           = int(C.ALLIANCE_FSRS_HARD)
	FSRS_GOOD           = int(C.ALLIANCE_FSRS_GOOD)
	FSRS_EASY           = int(C.ALLIANCE_FSRS_EASY)
	FSRS_PARAMS_VERSION = uint32(C.ALLIANCE_FSRS_PARAMS_VERSION)
)

// FSRSParams are FSRS-6's parameters (alliance_fsrs_params; the version is filled in for you).
type FSRSParams struct {
	Weights          [21]float64 // w0..w20
	DesiredRetention float64
	MaxIntervalDays  uint32
}

// FSRSState is one card's FSRS memory state (alliance_fsrs_state); a new card is the zero value.
type FSRSState struct {
	Stability    float64
	Difficulty   float64
	IntervalDays uint32
}

func fsrsParamsFromC(c *C.alliance_fsrs_params) FSRSParams {
	p := FSRSParams{DesiredRetention: float64(c.desired_retention), MaxIntervalDays: uint32(c.max_interval_days)}
	for i := range p.Weights {
		p.Weights[i] = float64(c.weights[i])
	}
	return p
}

func fsrsParamsToC(p FSRSParams) C.alliance_fsrs_params {
	c := C.alliance_fsrs_params{version: C.uint32_t(FSRS_PARAMS_VERSION), desired_retention: C.double(p.DesiredRetention),
		max_interval_days: C.uint32_t(p.MaxIntervalDays)}
	for i, w := range p.Weights {
		c.weights[i] = C.double(w)
	}
	return c
}

func fsrsStateFromC(c *C.alliance_fsrs_state) FSRSState {
	return FSRSState{float64(c.stability), float64(c.difficulty), uint32(c.interval_days)}
}

func fsrsStateToC(s FSRSState) C.alliance_fsrs_state {
	return C.alliance_fsrs_state{stability: C.double(s.Stability), difficulty: C.double(s.Difficulty),
		interval_days: C.uint32_t(s.IntervalDays)}
}

// DefaultFSRSParams are the published FSRS-6 defaults.
func DefaultFSRSParams() (FSRSParams, error) {
	var c C.alliance_fsrs_params
	if err := pureError(C.alliance_fsrs_params_init(&c, C.uint32_t(FSRS_PARAMS_VERSION)), "alliance_fsrs_params_init"); err != nil {
		return FSRSParams{}, err
	}
	return fsrsParamsFromC(&c), nil
}

// Check says whether the parameters are usable.
func (p FSRSParams) Check() error {
	c := fsrsParamsToC(p)
	return pureError(C.alliance_fsrs_params_check(&c), "FSRS parameters")
}

// Next is one pure FSRS step: the state after answering rating (FSRS_AGAIN..FSRS_EASY)
// elapsedDays after the previous review (0 for a new card).
func (p FSRSParams) Next(state FSRSState, rating int, elapsedDays uint32) (FSRSState, error) {
	crating, err := cGrade(rating, "FSRS step: rating")
	if err != nil {
		return FSRSState{}, err
	}
	c := fsrsParamsToC(p)
	in := fsrsStateToC(state)
	var out C.alliance_fsrs_state
	if err := pureError(C.alliance_fsrs_next(&c, &in, crating, C.uint32_t(elapsedDays), &out),
		fmt.Sprintf("FSRS step with rating %d", rating)); err != nil {
		return FSRSState{}, err
	}
	return fsrsStateFromC(&out), nil
}

// Retrievability is the predicted probability of recall elapsedDays after the last review.
func (p FSRSParams) Retrievability(state FSRSState, elapsedDays uint32) (float64, error) {
	c := fsrsParamsToC(p)
	in := fsrsStateToC(state)
	var out C.double
	err := pureError(C.alliance_fsrs_retrievability(&c, &in, C.uint32_t(elapsedDays), &out), "FSRS retrievability")
	return float64(out), err
}

// ---- FSRS in a collection (docs/fsrs.md) ----

// The collection's scheduler (a synced setting).
const (
	SCHEDULER_SM2  = uint32(C.ALLIANCE_SCHEDULER_SM2)
	SCHEDULER_FSRS = uint32(C.ALLIANCE_SCHEDULER_FSRS)
)

// SchedulerReport says what switching the scheduler or setting the FSRS parameters did
// (alliance_scheduler_report).
type SchedulerReport struct {
	Scheduler                                      uint32
	Cards, Reviews, DueEarlier, DueLater, DueToday uint64
}

func schedulerReportFromC(r *C.alliance_scheduler_report) SchedulerReport {
	return SchedulerReport{Scheduler: uint32(r.scheduler), Cards: uint64(r.cards), Reviews: uint64(r.reviews),
		DueEarlier: uint64(r.due_earlier), DueLater: uint64(r.due_later), DueToday: uint64(r.due_today)}
}

func takeSchedulerReport(p *C.alliance_scheduler_report) SchedulerReport {
	if p == nil {
		return SchedulerReport{}
	}
	defer C.alliance_free(unsafe.Pointer(p))
	return schedulerReportFromC(p)
}

// Scheduler is SCHEDULER_SM2 or SCHEDULER_FSRS.
func (c *Collection) Scheduler() (uint32, error) {
	var out C.uint32_t
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_scheduler_get(db, &out) })
	return uint32(out), err
}

// SetScheduler switches the collection to scheduler, replaying every card's log under it
// in one transaction; now decides the report's DueToday.
func (c *Collection) SetScheduler(scheduler uint32, now time.Time) (SchedulerReport, error) {
	var out *C.alliance_scheduler_report
	_, err := c.call(func(db *C.alliance_db) C.int {
		return C.alliance_scheduler_set(db, C.uint32_t(scheduler), C.int64_t(now.Unix()), &out)
	})
	return takeSchedulerReport(out), err
}

// FSRSParams are the collection's FSRS parameters.
func (c *Collection) FSRSParams() (FSRSParams, error) {
	var out C.alliance_fsrs_params
	if err := pureError(C.alliance_fsrs_params_init(&out, C.uint32_t(FSRS_PARAMS_VERSION)), "alliance_fsrs_params_init"); err != nil {
		return FSRSParams{}, err
	}
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_fsrs_params_get(db, &out) })
	return fsrsParamsFromC(&out), err
}

// SetFSRSParams sets them (e.g. fitted weights); under FSRS every card is replayed with them.
func (c *Collection) SetFSRSParams(p FSRSParams, now time.Time) (SchedulerReport, error) {
	in := fsrsParamsToC(p)
	var out *C.alliance_scheduler_report
	_, err := c.call(func(db *C.alliance_db) C.int { return C.alliance_fsrs_params_set(db, &in, C.int64_t(now.Unix()), &out) })
	return takeSchedulerReport(out), err
}
