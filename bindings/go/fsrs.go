// SPDX-License-Identifier: MIT

package alliance

/*
#include <alliance.h>
*/
import "C"

import "fmt"

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
	c := fsrsParamsToC(p)
	in := fsrsStateToC(state)
	var out C.alliance_fsrs_state
	if err := pureError(C.alliance_fsrs_next(&c, &in, C.int(rating), C.uint32_t(elapsedDays), &out),
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
