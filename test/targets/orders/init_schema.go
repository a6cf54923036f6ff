package main

import (
	"os"
	"runtime"
	"strconv"
	"strings"
)

// schemaAtInit is the "before" start-up bug of the story this target tells: the catalog
// schema is generated and parsed during package initialization (runtime.doInit1 →
// main.init.0 → main.parseSchema), before main runs and before any flag is parsed, and the
// parsed copy is kept for the life of the process. "after" does not do it (start-up parses
// once, in startService). The mode is read from os.Args here because flags are parsed later.
var schemaAtInit map[string]any

func init() {
	parse, memProfileRate := initParsesSchema(os.Args[1:])
	if !parse {
		return
	}
	// main sets the same rate later; setting it first samples the allocations below at the
	// rate the heap profile declares (a profile scales every sample by its final rate).
	if memProfileRate > 0 {
		runtime.MemProfileRate = memProfileRate
	}
	m, err := parseSchema(generateSchema())
	if err == nil {
		schemaAtInit = m
	}
}

// initParsesSchema reports whether the command line runs the service in "before" mode (the
// default mode) as a server or a writer (the helper modes -gen-certs and -forward skip it),
// and the runtime.MemProfileRate main will set (parseFlags' defaults; 0 = Go's own).
func initParsesSchema(args []string) (bool, int) {
	mode := "before"
	service := false
	writing := false
	rate := -1
	for i := 0; i < len(args); i++ {
		name, value, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		switch name {
		case "mode":
			if !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
			mode = value
		case "addr":
			service = true
		case "write":
			service, writing = true, true
		case "memprofilerate":
			if !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
			if n, err := strconv.Atoi(value); err == nil {
				rate = n
			}
		}
	}
	if rate < 0 && writing {
		rate = 64 << 10
	}
	return service && mode == "before", rate
}
