// Package sim is an in-process (and standalone) Suno relay simulator. It serves the three
// dialects a real relay offers from one base URL, plus the media a relay's CDN serves, with real
// mp3 audio built from embedded phrases. It is both the offline demo backend (users with no API
// key run the whole studio on it) and the test double for the client; wire formats and quirks
// follow shared/api/relay-api.md.
//
// # Endpoints
//
// Task dialect ({"code":"success","message":"","data":...}): POST /suno/submit/music,
// /suno/submit/lyrics, /suno/submit/concat; GET /suno/fetch/{id}; POST /suno/fetch (alias
// /suno/submit/fetch); POST /suno/uploads/audio-url; POST /suno/persona/create[/] (raw);
// GET /suno/act/stems|timing/{clip} (raw), /suno/act/wav|mp4/{clip}; GET /suno/feed/{ids}
// (raw clip array); GET [/v1]/dashboard/billing/subscription|usage; GET /v1/models.
//
// GoAmzAI dialect ({"code":200,"message":"success","data":...}): POST and GET
// /suno/v1[/mv-3.5|/v3.0]/music[/{id}] and .../lyrics[/{id}].
//
// Chat dialect: POST /v1/chat/completions, stream or not, content format "a" (Suno-API) or "b"
// (Suno2openai).
//
// Media, no auth: GET /audiopipe/?item_id=<clip> (chunked, paced), GET /cdn/<clip>.mp3|.mp4|.wav,
// /cdn/image_<clip>.png, /cdn/image_large_<clip>.png; /cdn/None.mp3 is always 404.
//
// # Keywords
//
// Text in a prompt, description, lyrics, title, tags or chat message selects behaviours:
// "sim:policy" (content-policy failure: clips end in error with audio_url .../cdn/None.mp3),
// "sim:never" (the task streams forever), "sim:fail" (the task fails quickly; chat streams an
// error JSON and no [DONE]) and, in chat, "sim:format=a" / "sim:format=b".
//
// # State across restarts
//
// With Options.StateFile the records (tasks, clips, uploads, stems, personas, asset jobs and the
// usage counter) are loaded from that JSON file by New and saved atomically shortly after every
// change and at Close (SaveState forces a save). A missing file is an empty store; a corrupt one
// is logged and ignored. Since a task's state is a function of its submit time and its audio a
// function of its record, a restored task continues where it would be, with the same bytes.
// Media URLs are built from the request's host, so they change with the listening port: clients
// must re-fetch a task after a restart rather than reuse stored URLs.
//
// # Choices where relays are undocumented
//
//   - Stems (from /suno/act/stems) and uploads are clips, not tasks; GET /suno/fetch/{id} and
//     POST /suno/fetch accept their clip ids and answer a synthetic task with that clip. Clips
//     of ordinary tasks are not fetchable by clip id (a real relay would not find them).
//   - /suno/act/wav and /suno/act/mp4 answer a task id; polling it gives one clip whose
//     audio_url becomes /cdn/<clip>.wav (resp. video_url /cdn/<clip>.mp4 with
//     is_video_pending false) when the job is done. The WAV is only served after such a job.
//   - Every music-like task (music, concat, wav, mp4) reports action "MUSIC".
//   - Usage grows by 100 cents per music or concat task and 10 cents per lyrics task.
//   - Chat format "a" is sent one rune per event (Suno-API); format "b" in Suno2openai's
//     multi-line chunks, first chunk with role "assistant", ending "data: [DONE]\n\n".
package sim
