// Package koomock holds the vocabulary koomock itself adds on top of KooGallery's wire protocol: the
// exchanges it records in its journal, the verdicts it gives on them, and the rules those verdicts name.
//
// The KooGallery protocol (activities, result codes, signature schemes) lives in package protocol; the
// marketplace emulator in package mock; the conformance suite in package runner. Everything here is plain
// data shared by the server, its store, its control-API client and the runner, so it imports nothing of
// koomock's own.
package koomock
