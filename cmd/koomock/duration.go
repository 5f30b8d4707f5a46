package main

import (
	"time"

	"github.com/koomock/koomock/controlapi"
)

// durationValue is a flag that takes Go durations or days ("30d").
type durationValue time.Duration

func (d *durationValue) String() string {
	if *d == 0 {
		return ""
	}
	return time.Duration(*d).String()
}

func (d *durationValue) Set(s string) error {
	v, err := controlapi.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = durationValue(v)
	return nil
}
