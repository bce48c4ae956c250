# Bash completion for inc and the inc-* tools.
#
# Options come from each tool's own usage line (TOOL --help), so they stay
# in step with the tools; values come from fixed lists (statuses, sources,
# link types) and from the configuration in use (levels, groups, people,
# categories, closure codes), read with jq when it is installed.
# Needs no bash-completion helpers. Installed as "inc", with a link per tool.
# shellcheck shell=bash

_inc_tools="log classify assign update task sla escalate close show report events notify mail import"
_inc_commands="$_inc_tools init config db help version"

# The event kinds of the event log (inc-events --kind), as cmd/inc-events.c
# knows them.
_inc_kinds="logged classified assigned queued updated sla_warning sla_breached escalated notified replied major_declared resolved closed reopened"

# The configuration the command line would use: -c/--config, else what
# "inc config path" says (INC_CONFIG, XDG, /etc, shipped).
_inc_config() {
	local i
	for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
		case ${COMP_WORDS[i]} in
		-c | --config)
			printf '%s\n' "${COMP_WORDS[i + 1]/#\~/$HOME}"
			return
			;;
		--config=*)
			printf '%s\n' "${COMP_WORDS[i]#--config=}"
			return
			;;
		esac
	done
	command inc config path 2>/dev/null
}

# Values from the configuration by a jq filter; nothing without jq or config.
_inc_conf() {
	local conf
	command -v jq >/dev/null 2>&1 || return 0
	conf=$(_inc_config)
	[ -r "$conf" ] || return 0
	jq -r "$1" "$conf" 2>/dev/null
}

# Long and short options of a tool, from its usage line.
_inc_options() {
	{
		command "$1" --help 2>/dev/null | grep -o -- '[[ |]-[-a-zA-Z][-a-z]*' | cut -c2-
		printf '%s\n' --help --version
	} | sort -u
}

# The alternatives the usage line lists for an option: "--format jsonl|table".
_inc_choices() {
	command "$1" --help 2>/dev/null |
		grep -o -- "$2 [a-z_|]*|[a-z_|]*" | head -n 1 | cut -d' ' -f2 | tr '|' '\n'
}

# The fields inc-update --set takes, each with "=" ("custom." for its keys):
# from the tool's own message, so they stay in step with its registry.
_inc_set_fields() {
	local want
	want=$(command "$1" --set '?=' </dev/null 2>&1 | sed -n 's/.*(want \(.*\))$/\1/p')
	[ -n "$want" ] ||
		want="subject, description, requester, source, category, subcategory, impact, urgency, priority, group, assignee, major or custom.KEY"
	want=${want//, / }
	want=${want// or / }
	want=${want//custom.KEY/custom.}
	local w
	for w in $want; do
		[[ $w == *. ]] && printf '%s\n' "$w" || printf '%s=\n' "$w"
	done
}

# The values the configuration knows for --set FIELD=.
_inc_set_values() {
	case $1 in
	impact | urgency | priority) _inc_values_of "--$1" ;;
	group) _inc_conf '.groups[]?.name' ;;
	assignee) _inc_conf '.people[]? | select(.role != "requester") | .name' ;;
	requester) _inc_conf '.people[]? | .name, (.email // empty)' ;;
	category) _inc_values_of --category ;;
	subcategory) _inc_values_of --subcategory ;;
	source) _inc_values_of --source ;;
	major) printf '%s\n' true false ;;
	esac
}

# The words of an option that takes a fixed or configured list.
_inc_values_of() {
	case $1 in
	--source) printf '%s\n' phone email sms web chat api monitoring ;;
	--impact) _inc_conf '(.levels.impact // ["high","medium","low"])[]' ;;
	--urgency) _inc_conf '(.levels.urgency // ["high","medium","low"])[]' ;;
	--priority) _inc_conf '(.levels.priority // ["critical","high","medium","low"])[]' ;;
	--category) _inc_conf '(.categories // {}) | to_entries[] |
		.key, (.key + "/" + (.value.subcategories // [])[])' ;;
	--subcategory) _inc_conf '(.categories // {})[] | (.subcategories // [])[]' ;;
	esac
}

# Completion of --set FIELD=VALUE: field is what stands before "=" (none
# yet: complete FIELD=), cur the value typed so far, pre what to put before
# each candidate (the field, when "=" did not break the word).
_inc_set() {
	local tool=$1 field=$2 cur=$3 pre=$4
	if [ -z "$field" ]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_inc_set_fields "$tool")" -- "$cur")
		compopt -o nospace 2>/dev/null
		return
	fi
	mapfile -t COMPREPLY < <(compgen -P "$pre" -W "$(_inc_set_values "$field")" -- "$cur")
}

# Values for option $2 of tool $1; returns 1 when it takes none we know.
_inc_values() {
	local tool=$1 opt=$2 cur=$3 words
	case $opt in
	-d | --db | -c | --config | --mbox | --what-if)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		compopt -o filenames 2>/dev/null
		return 0
		;;
	--maildir)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		compopt -o filenames 2>/dev/null
		return 0
		;;
	--status)
		words=$(_inc_choices "$tool" "$opt")
		[ -n "$words" ] || words="new assigned in_progress on_hold resolved closed cancelled"
		;;
	--format)
		words=$(_inc_choices "$tool" "$opt")
		[ -n "$words" ] || words="jsonl table"
		;;
	--source | --impact | --urgency | --priority | --category | --subcategory)
		words=$(_inc_values_of "$opt")
		;;
	--link) words="problem: change: asset: incident:" ;;
	--by) words="category subcategory priority group assignee source requester day week month" ;;
	--kind) words=$_inc_kinds ;;
	--seek) words="end" ;;
	--notify) words="assignee group manager incident_manager requester $(_inc_conf '.people[]?.name')" ;;
	--set)
		if [[ $cur == *=* ]]; then
			_inc_set "$tool" "${cur%%=*}" "${cur#*=}" "${cur%%=*}="
		else
			_inc_set "$tool" "" "$cur"
		fi
		return 0
		;;
	--group | -g) words=$(_inc_conf '.groups[]?.name') ;;
	--to | -t)
		if [ "$tool" = inc-assign ]; then
			words=$(_inc_conf '.people[]?.name')
		else
			words=$(_inc_conf '.groups[]?.name')
		fi
		;;
	--assignee | --as | --requester | -r) words=$(_inc_conf '.people[]?.name') ;;
	--code) words=$(_inc_conf '(.closure_codes // ["fixed","workaround","no-fault-found",
		"user-error","duplicate","auto-closed","cancelled"])[]') ;;
	--rating) words="1 2 3 4 5" ;;
	--map)
		# a mapping file, or a shipped one by name
		mapfile -t COMPREPLY < <(compgen -W "servicenow bpi2013 helpdesk" -- "$cur"; compgen -f -- "$cur")
		compopt -o filenames 2>/dev/null
		return 0
		;;
	*)
		# an option that takes an argument we cannot guess: complete nothing
		case $(command "$tool" --help 2>/dev/null) in
		*"[$opt "[A-Z]* | *"|$opt "[A-Z]* | *" $opt "[A-Z]*) return 0 ;;
		esac
		return 1
		;;
	esac
	compopt -o nospace 2>/dev/null
	# comma lists (--status new,on_hold, --by group,priority): the last
	# item, and none of those given already
	local pre='' w given
	case $opt in
	--status | --by | --notify | --kind)
		if [[ $cur == *,* ]]; then
			pre=${cur%,*},
			cur=${cur##*,}
			given=",$pre"
			words=$(for w in $words; do [[ $given == *",$w,"* ]] || printf '%s\n' "$w"; done)
		fi
		;;
	esac
	mapfile -t COMPREPLY < <(compgen -P "$pre" -W "$words" -- "$cur")
	# a space after a whole value, none after "problem:" or "network/"
	if [ "${#COMPREPLY[@]}" -eq 1 ] && [[ ${COMPREPLY[0]} != *: ]]; then
		COMPREPLY[0]+=" "
	fi
	return 0
}

# Completion for an inc-* tool whose name is $1, its words from index $2.
_inc_tool() {
	local tool=$1 first=$2 cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	((COMP_CWORD > first)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	if [ "$tool" = inc-task ] && ((COMP_CWORD == first)) && [[ $cur != -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "add start done cancel list" -- "$cur")
		return
	fi
	# --opt=value: one word, or three ("--opt" "=" "value") when "=" breaks words
	if [[ $cur == --*=* ]]; then
		local i
		_inc_values "$tool" "${cur%%=*}" "${cur#*=}" || COMPREPLY=()
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]="${cur%%=*}=${COMPREPLY[i]}"
		done
		return
	fi
	# --set FIELD=VALUE where "=" breaks words: "--set" "impact" "=" "hi"
	if ((COMP_CWORD - 3 >= first)) && [[ $prev == = && ${COMP_WORDS[COMP_CWORD - 3]} == --set ]]; then
		_inc_set "$tool" "${COMP_WORDS[COMP_CWORD - 2]}" "$cur"
		return
	fi
	if ((COMP_CWORD - 2 >= first)) && [[ $cur == = && ${COMP_WORDS[COMP_CWORD - 2]} == --set ]]; then
		_inc_set "$tool" "$prev" ""
		return
	fi
	if [[ $prev == = ]] && ((COMP_CWORD - 2 >= first)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	if [[ $prev == -* ]] && _inc_values "$tool" "$prev" "$cur"; then
		return
	fi
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_inc_options "$tool")" -- "$cur")
	fi
}

_inc() {
	local cur=${COMP_WORDS[COMP_CWORD]} i cmd='' at=0
	COMPREPLY=()
	case ${COMP_WORDS[0]##*/} in
	inc-*)
		_inc_tool "${COMP_WORDS[0]##*/}" 1
		return
		;;
	esac
	# inc [-d DB] [-c CONFIG] COMMAND ...: find the command
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-d | -c) ((i++)) ;;
		-*) ;;
		*)
			cmd=${COMP_WORDS[i]}
			at=$i
			break
			;;
		esac
	done
	if [ -z "$cmd" ]; then
		case ${COMP_WORDS[COMP_CWORD - 1]} in
		-d | -c)
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			compopt -o filenames 2>/dev/null
			;;
		*)
			if [[ $cur == -* ]]; then
				mapfile -t COMPREPLY < <(compgen -W "-d -c -h --help --version" -- "$cur")
			else
				mapfile -t COMPREPLY < <(compgen -W "$_inc_commands" -- "$cur")
			fi
			;;
		esac
		return
	fi
	case $cmd in
	config)
		if ((COMP_CWORD == at + 1)); then
			mapfile -t COMPREPLY < <(compgen -W "check path" -- "$cur")
		elif ((COMP_CWORD == at + 2)) && [ "${COMP_WORDS[at + 1]}" = check ]; then
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			compopt -o filenames 2>/dev/null
		fi
		;;
	db)
		if ((COMP_CWORD == at + 1)); then
			mapfile -t COMPREPLY < <(compgen -W "copy roles" -- "$cur")
		elif [ "${COMP_WORDS[at + 1]}" = copy ] && ((COMP_CWORD <= at + 3)); then
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			compopt -o filenames 2>/dev/null
		fi
		;;
	help)
		((COMP_CWORD == at + 1)) &&
			mapfile -t COMPREPLY < <(compgen -W "$_inc_tools" -- "$cur")
		;;
	init | version) ;;
	*) _inc_tool "inc-$cmd" $((at + 1)) ;;
	esac
}

complete -F _inc inc inc-log inc-classify inc-assign inc-update inc-task inc-sla \
	inc-escalate inc-close inc-show inc-report inc-events inc-notify inc-mail inc-import
