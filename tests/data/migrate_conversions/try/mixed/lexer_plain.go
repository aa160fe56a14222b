package main

import "strconv"

// atoi is in a file that stays plain Go: its block is not converted.
func atoi(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, err
	}
	return n, nil
}
