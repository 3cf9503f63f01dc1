#!/bin/sh
# make-phrases.sh: synthesise the simulator's musical phrases (maintainers only).
#
# The simulator builds every "song" by concatenating whole phrase files. That only yields a valid
# mp3 with an exactly predictable length if every phrase is a CBR, 44.1 kHz, mono MPEG-1 Layer III
# stream with no Xing/Info frame (go-mp3 would decode that frame as 26 ms of silence), hence
# `lame --cbr -b 64 -m m -t`. The outputs (phrase1.mp3 .. phrase8.mp3) are committed and embedded
# with go:embed, so tests and CI never need sox or lame.
#
# Usage: sh client/sim/audio/make-phrases.sh     (needs sox and lame: apt-get install -y sox lame)
set -eu

OUT=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# note FILE SECONDS WAVE FREQ...: one chord (or single note) mixed down to mono, with a short
# attack and release so that joined notes do not click.
note() {
	f=$1 d=$2 w=$3
	shift 3
	tones=""
	n=0
	for fr in "$@"; do
		tones="$tones $w $fr"
		n=$((n + 1))
	done
	# shellcheck disable=SC2086
	sox -r 44100 -c "$n" -n -r 44100 -b 16 -c 1 "$f" synth "$d" $tones remix - fade q 0.01 "$d" 0.08 gain -n -3
}

# phrase NAME EFFECTS -- SPEC...: each SPEC is SECONDS/WAVE/FREQ[,FREQ...]; notes are joined in
# order, then EFFECTS are applied to the whole phrase.
phrase() {
	name=$1
	shift
	fx=""
	while [ "$1" != "--" ]; do
		fx="$fx $1"
		shift
	done
	shift
	i=0
	files=""
	for spec in "$@"; do
		d=${spec%%/*}
		rest=${spec#*/}
		w=${rest%%/*}
		freqs=$(echo "${rest#*/}" | tr ',' ' ')
		i=$((i + 1))
		# shellcheck disable=SC2086
		note "$TMP/$name-$i.wav" "$d" "$w" $freqs
		files="$files $TMP/$name-$i.wav"
	done
	# shellcheck disable=SC2086
	sox $files -r 44100 -c 1 -b 16 "$TMP/$name.wav" gain -8 $fx norm -3
	lame --cbr -b 64 -m m -t --resample 44.1 --quiet "$TMP/$name.wav" "$OUT/$name.mp3"
}

# 1: C major arpeggio, plucked, 120 bpm.
phrase phrase1 reverb 30 -- \
	0.25/pluck/C4 0.25/pluck/E4 0.25/pluck/G4 0.25/pluck/C5 \
	0.25/pluck/G4 0.25/pluck/E4 0.5/pluck/C4,E4,G4 0.5/pluck/C3,G3,C4
# 2: A minor - F - C - G pad chords, slow.
phrase phrase2 reverb 50 -- \
	0.7/sine/A3,C4,E4 0.7/sine/F3,A3,C4 0.7/sine/C3,E4,G4 0.7/sine/G3,B3,D4
# 3: F major melody on a triangle wave, 100 bpm.
phrase phrase3 reverb 20 -- \
	0.3/triangle/F4 0.3/triangle/A4 0.3/triangle/C5 0.6/triangle/A4 \
	0.3/triangle/G4 0.3/triangle/F4 0.6/triangle/C4,F4
# 4: G7 strum pattern, plucked, 140 bpm.
phrase phrase4 reverb 25 -- \
	0.2/pluck/G3,B3,D4,F4 0.2/pluck/G3,B3,D4,F4 0.4/pluck/G3,B3,D4,F4 \
	0.2/pluck/C4,E4,G4 0.2/pluck/C4,E4,G4 0.4/pluck/C4,E4,G4 \
	0.4/pluck/D4,F4,A4 0.6/pluck/G3,B3,D4,F4
# 5: E minor descending line, soft square (low-passed), 110 bpm.
phrase phrase5 lowpass 1800 reverb 35 -- \
	0.27/square/B4 0.27/square/A4 0.27/square/G4 0.27/square/F#4 \
	0.27/square/E4 0.27/square/D4 0.27/square/E4 0.8/square/E3,B3,E4
# 6: D major bass and melody, sawtooth, low-passed.
phrase phrase6 lowpass 2500 reverb 20 -- \
	0.35/sawtooth/D3,F#4 0.35/sawtooth/D3,A4 0.35/sawtooth/A2,E4 0.35/sawtooth/A2,C#5 \
	0.35/sawtooth/B2,D5 0.35/sawtooth/B2,B4 0.7/sawtooth/D3,A4,D5
# 7: blues riff in A, plucked, swung.
phrase phrase7 reverb 15 -- \
	0.3/pluck/A2 0.15/pluck/C#3 0.3/pluck/E3 0.15/pluck/F#3 0.3/pluck/G3 0.15/pluck/F#3 \
	0.3/pluck/E3 0.15/pluck/C#3 0.45/pluck/A2,E3,A3 0.3/pluck/D3,F#3,A3 0.45/pluck/A2,E3,A3
# 8: ambient swell, sine chords with tremolo.
phrase phrase8 tremolo 6 40 reverb 60 -- \
	1.0/sine/E3,G#3,B3,E4 0.8/sine/C#3,E3,G#3,C#4 0.9/sine/A2,E3,A3,C#4

ls -l "$OUT"/phrase*.mp3
