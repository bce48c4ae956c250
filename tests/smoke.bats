#!/usr/bin/env bats
load test_helper

@test "a logged incident reads back" {
	run --separate-stderr inc-log -s "VPN down" -r joe@example.com
	assert_success
	id=$(jq -r .id <<<"$output")
	run --separate-stderr inc-show "$id"
	assert_success
	assert_equal "$(jq -r .subject <<<"$output")" "VPN down"
}
