// Command gen writes the chat transcripts of client/testdata/chat. From the module root:
//
//	go run ./client/testdata/chat/gen client/testdata/chat
//
// Format (a) is rendered with Suno-API's own template through html/template, as the relay
// does, so its HTML escaping is the real one. The other formats follow the generators' source.
package main

import (
	"bytes"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"strings"
)

const (
	idA1 = "3435e194-50e7-4edc-9442-bffe072fccfc"
	idA2 = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"
	idB1 = "e4a8f0c2-1b3d-4f5e-9a7c-2d4e6f8a0b1c"
	idB2 = "71c3d5e7-f9a1-4b3c-8d5e-7f9a1b3c5d7e"
	idC1 = "0b6e5c1a-2f3d-4e8b-a9c7-5d1e3f7a9b2c"
	idC2 = "c8d2e4f6-a1b3-4c5d-9e7f-3a5b7c9d1e2f"
	idD1 = "5a7b9c1d-3e5f-4a7b-8c9d-1e3f5a7b9c0d"
	idE1 = "d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6"
	idR1 = "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"
	idR2 = "f5e4d3c2-b1a0-4f9e-8d7c-6b5a4f3e2d1c"
	idN1 = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
	idN2 = "6f5e4d3c-2b1a-4f0e-9d8c-7b6a5f4e3d2c"
	idL1 = "2b4d6f8a-0c2e-4a6c-8e0a-2c4e6a8c0e2a"
	idL2 = "8a6c4e2a-0e8c-4c6a-9e2c-4a6e8c0a2e4c"
	idZ1 = "4e6a8c0e-2a4c-4e8a-bc2e-6a8c0e2a4c6e"
)

// The default template of Suno-API as relay-api.md 5.3 (a) spells it (labels with a space
// before the closing bold), and the repository's own spelling (no space), used for relay_cdn.
const tmplSpec = `***
{{ $first := (index .Data 0)}}
###🎵 歌曲名： {{ $first.Title }}
**模型版本：** {{ $first.ModelName }}
**歌词：**
{{ $first.Metadata.Prompt }}

{{ range $i, $v := .Data }}
**版本ID： ** {{$v.ID}}
**音乐时长： ** {{$v.Metadata.Duration}}秒
**风格：   ** {{$v.Metadata.Tags}}
**资源链接：**
- 🖼 封面: ![封面]({{$v.ImageURL}})
- 🎧 音频: [点击听歌]({{$v.AudioURL}})
- 🎬 视频: [点击观看]({{$v.VideoURL}})
{{ end }}
`

const tmplRepo = `***
{{ $first := (index .Data 0)}}
###🎵 歌曲名： {{ $first.Title }}
**模型版本：** {{ $first.ModelName }}
**歌词：**
{{ $first.Metadata.Prompt }}

{{ range $i, $v := .Data }}
**版本ID：** {{$v.ID}}
**音乐时长：** {{$v.Metadata.Duration}}秒
**风格：   ** {{$v.Metadata.Tags}}
**资源链接：**
- 🖼 封面: ![封面]({{$v.ImageURL}})
- 🎧 音频: [点击听歌]({{$v.AudioURL}})
- 🎬 视频: [点击观看]({{$v.VideoURL}})
{{ end }}
`

type meta struct {
	Tags     string
	Prompt   string
	Duration any
}

type song struct {
	ID        string
	Title     string
	ModelName string
	ImageURL  string
	AudioURL  string
	VideoURL  string
	Metadata  meta
}

const lyricsA = `[Verse 1]
周末的清晨 阳光洒在窗台
咖啡的香气 把梦轻轻唤醒
你说 "Don't worry" 今天只属于我们
街角的面包店 飘来熟悉的味道

[Chorus]
快乐周末 & 慢慢走
把烦恼都留在昨天的路口
快乐周末 牵着你的手
这一刻 不需要理由

[Verse 2]
公园的长椅 落满了银杏叶
我们聊着 <小时候> 的那些秘密
风吹过湖面 荡起一圈圈涟漪
你的笑容 是我最爱的风景

[Bridge]
就让时间 停在这里
It's our weekend, let's fly

[Outro]
快乐周末 明天见`

const lyricsB = `[Verse]
海风吹过沙滩 浪花轻轻拍岸
夕阳染红了天 我们光着脚丫
椰子树下的吉他 弹着夏天的歌
你的长发飘啊飘 像一首诗

[Chorus]
夏日海风 吹走所有忧愁
夏日海风 陪我到尽头
我们一起 追着太阳奔跑
这个夏天 永远不会老

[Verse 2]
星星落在海面 像撒满的钻石
篝火旁的笑声 回荡在夜里

[Outro]
夏日海风 再见了 夏天`

func render(tmpl string, data []song) string {
	t := template.Must(template.New("suno_chat_resp").Parse(tmpl))
	var b bytes.Buffer
	if err := t.Execute(&b, struct{ Data []song }{data}); err != nil {
		panic(err)
	}
	return b.String()
}

func ticks(n int) string { return strings.Repeat("🎵", n) }

const submitA = "请求成功，正在生成歌曲，请稍等片刻...\n"

func formatA() string {
	data := []song{
		{ID: idA1, Title: "快乐周末 & 'Café' 时光", ModelName: "chirp-v3-5",
			ImageURL: "https://cdn2.suno.ai/image_" + idA1 + ".jpeg",
			AudioURL: "https://cdn1.suno.ai/" + idA1 + ".mp3",
			VideoURL: "https://cdn1.suno.ai/" + idA1 + ".mp4",
			Metadata: meta{Tags: "heartfelt c-pop, acoustic guitar", Prompt: lyricsA, Duration: 128.92}},
		{ID: idA2, Title: "快乐周末 & 'Café' 时光", ModelName: "chirp-v3-5",
			ImageURL: "https://cdn1.suno.ai/image_" + idA2 + ".png",
			AudioURL: "https://cdn1.suno.ai/" + idA2 + ".mp3",
			VideoURL: "https://cdn1.suno.ai/" + idA2 + ".mp4",
			Metadata: meta{Tags: "upbeat mandopop, female vocals", Prompt: lyricsA, Duration: 131.4}},
	}
	return submitA + ticks(23) + render(tmplSpec, data)
}

func formatANone() string {
	data := []song{
		{ID: idN1, Title: "雨夜的告白", ModelName: "chirp-v3-0",
			ImageURL: "https://cdn2.suno.ai/image_" + idN1 + ".jpeg",
			AudioURL: "https://cdn1.suno.ai/" + idN1 + ".mp3",
			VideoURL: "https://cdn1.suno.ai/" + idN1 + ".mp4",
			Metadata: meta{Tags: "sad piano ballad", Prompt: "[Verse]\n雨一直下\n我在等你", Duration: 95.5}},
		{ID: idN2, Title: "雨夜的告白", ModelName: "chirp-v3-0",
			AudioURL: "https://cdn1.suno.ai/None.mp3",
			Metadata: meta{Tags: "sad piano ballad", Prompt: "[Verse]\n雨一直下\n我在等你", Duration: nil}},
	}
	return submitA + ticks(12) + render(tmplSpec, data)
}

func relayCDN() string {
	q := "?sign=8f3a2c&expires=1727000000"
	data := []song{
		{ID: idR1, Title: "Neon Rain", ModelName: "chirp-v4",
			ImageURL: "https://cdn.ttapi.io/suno/" + idR1 + ".jpeg",
			AudioURL: "https://cdn.ttapi.io/suno/" + idR1 + ".mp3" + q,
			VideoURL: "https://cdn.ttapi.io/suno/" + idR1 + ".mp4",
			Metadata: meta{Tags: "synthwave, retro 80s", Prompt: "[Verse]\nCity lights are burning low\nWe don't have to go home\n\n[Chorus]\nNeon rain, neon rain", Duration: "187.16"}},
		{ID: idR2, Title: "Neon Rain", ModelName: "chirp-v4",
			ImageURL: "https://cdn.ttapi.io/suno/" + idR2 + ".jpeg",
			AudioURL: "https://cdn.ttapi.io/suno/" + idR2 + ".mp3" + q,
			VideoURL: "https://cdn.ttapi.io/suno/" + idR2 + ".mp4",
			Metadata: meta{Tags: "synthwave, dark", Prompt: "unused", Duration: 176}},
	}
	return submitA + ticks(30) + render(tmplRepo, data)
}

func formatAError() string {
	return submitA + ticks(7) + `{"StatusCode":500,"Code":"internal_error","Err":{},"LocalErr":false}`
}

func timeout() string { return submitA + ticks(59) + "timeout" }

// Suno2openai data/message.py, in the order the generator yields its chunks.
func formatB() string {
	var b strings.Builder
	prompt := "写一首关于夏天海边的欢快流行歌，歌名叫《我的夏天》，风格：民谣"
	b.WriteString("\n### 🤯 Creating\n\n```suno\n{prompt:" + prompt + "}\n```\n\n")
	b.WriteString("### ⭐ 歌曲信息\n\n- **🧩 ID1️⃣**：" + idB1 + "\n- **🧩 ID2️⃣**：" + idB2 + "\n")
	b.WriteString("- **🤖 歌名**：夏日海风 \n\n")
	b.WriteString("- **💄 类型**：upbeat pop, summer, female vocals \n\n")
	b.WriteString("### 📖 完整歌词\n\n```\n" + lyricsB + "\n```\n\n")
	b.WriteString("### 🖼️ 歌曲图片\n\n")
	b.WriteString("![image_large_url](https://cdn2.suno.ai/image_large_" + idB1 + ".png) \n\n### 🤩 即刻享受\n")
	b.WriteString("\n- **🔗 实时音乐1️⃣**：https://audiopipe.suno.ai/?item_id=" + idB1)
	b.WriteString("\n- **🔗 实时音乐2️⃣**：https://audiopipe.suno.ai/?item_id=" + idB2 + "\n\n### 🚀 生成CDN链接中（2min~）\n\n")
	for count := 1; count <= 40; count++ {
		if count%34 == 0 {
			b.WriteString("🎵\n")
		} else {
			b.WriteString("🎵")
		}
	}
	b.WriteString("\n\n### 🎷 CDN音乐链接\n\n" +
		"- **🎧 音乐1️⃣**：https://cdn1.suno.ai/" + idB1 + ".mp3 \n" +
		"- **🎧 音乐2️⃣**：https://cdn1.suno.ai/" + idB2 + ".mp3 \n")
	b.WriteString("\n### 📺 CDN视频链接\n\n" +
		"- **📽️ 视频1️⃣**：https://cdn1.suno.ai/" + idB1 + ".mp4 \n" +
		"- **📽️ 视频2️⃣**：https://cdn1.suno.ai/" + idB2 + ".mp4 \n" +
		"\n### 👀 更多\n\n" +
		"**🤗还想听更多歌吗，快来告诉我**🎶✨\n")
	return b.String()
}

func formatBViolation() string {
	var b strings.Builder
	prompt := "一首关于某某某的歌"
	b.WriteString("\n### 🤯 Creating\n\n```suno\n{prompt:" + prompt + "}\n```\n\n")
	b.WriteString("### ⭐ 歌曲信息\n\n- **🧩 ID1️⃣**：" + idL1 + "\n- **🧩 ID2️⃣**：" + idL2 + "\n")
	b.WriteString("- **🤖 歌名**：无题 \n\n")
	b.WriteString("### 🚨 违规\n\n- **歌曲提示词**：`" + prompt + "`，" +
		"存在违规词，歌曲创作失败😭\n\n### " +
		"👀 更多\n\n**🤗请更换提示词，我会为你重新创作**🎶✨\n")
	return b.String()
}

// The older Suno2openai main.py: ids and (not yet valid) cdn links first, then the labels
// with a colon outside the bold, lyrics inline after **歌词**:, "." ticks, the temporary URL.
func legacyB() string {
	var b strings.Builder
	b.WriteString("**歌曲id[1]** : " + idE1 + "\n" +
		"**歌曲id[2]** : " + idZ1 + "\n" +
		"**完整歌曲链接（生成音乐链接后几分钟才生效）**: \n" +
		"歌曲① https://cdn1.suno.ai/" + idE1 + ".mp3 \n" +
		"歌曲② https://cdn1.suno.ai/" + idZ1 + ".mp3 \n")
	b.WriteString("**歌名**:星空下的约定 \n")
	b.WriteString("**类型**:dreamy indie folk \n")
	b.WriteString("**歌词**:[Verse]\n星空下 我们许下约定\n无论多远 都要相信\n\n[Chorus]\n星光闪烁 照亮你和我 \n")
	b.WriteString("**图片链接:** ![封面图片_小](https://cdn1.suno.ai/image_" + idE1 + ".png) \n")
	b.WriteString("**图片链接:** ![封面图片_大](https://cdn1.suno.ai/image_large_" + idE1 + ".png) \n")
	b.WriteString(".....")
	b.WriteString("\n **音乐链接(临时)**:https://audiopipe.suno.ai/?item_id=" + idE1)
	return b.String()
}

// disingn/sunotoapi serve.go (non-stream only): bare URLs.
func formatC() string {
	var b strings.Builder
	b.WriteString("# 城市夜归人\n\n")
	b.WriteString("[Verse]\n霓虹灯下 独自走回家\n末班地铁 载着疲惫的梦\n\n[Chorus]\n城市夜归人 不怕路太长\n总有一盏灯 为我亮\n\n")
	for i, id := range []string{idC1, idC2} {
		b.WriteString([]string{"## 版本一\n\n", "## 版本二\n\n"}[i])
		b.WriteString("视频链接：https://cdn1.suno.ai/" + id + ".mp4\n\n")
		b.WriteString("音频链接：https://cdn1.suno.ai/" + id + ".mp3\n\n")
		b.WriteString("图片链接：https://cdn2.suno.ai/image_large_" + id + ".jpeg\n\n")
	}
	return b.String()
}

// gcui-art/suno-api /v1/chat/completions, English labels (relay-api 5.3 (d)); it waits for
// streaming, so the audio is an audiopipe URL. Instrumental, but the lyric field is kept.
func formatD() string {
	return "## Song Title: 午夜的霓虹\n" +
		"![Song Cover](https://cdn2.suno.ai/image_" + idD1 + ".jpeg)\n" +
		"### Lyrics:\n[Instrumental]\n霓虹闪烁的午夜\n一个人的旋律\n" +
		"### Listen to the song: https://audiopipe.suno.ai/?item_id=" + idD1
}

// The same route in the Chinese-label version found in gcui's repository, against the
// project's simulator (audiopipe on 127.0.0.1).
func formatDZh() string {
	return "## 歌曲名称：晚风\n" +
		"![歌曲封面](http://127.0.0.1:18080/cdn/image_" + idD1 + ".png)\n" +
		"### 歌词：\n[Verse]\n晚风吹过街角\n你在等我吗\n" +
		"### 听歌链接： http://127.0.0.1:18080/audiopipe/?item_id=" + idD1
}

// English everything, final mp3 on the simulator's cdn path.
func englishD() string {
	return "## Song Title: Paper Boats\n" +
		"![Song Cover](http://127.0.0.1:18080/cdn/image_large_" + idD1 + ".jpeg)\n" +
		"### Lyrics:\n[Verse]\nWe folded paper boats and let them go\nDown the river where the willows grow\n\n[Chorus]\nSail away, sail away home\n" +
		"### Listen to the song: http://127.0.0.1:18080/cdn/" + idD1 + ".mp3"
}

// A long format (a) answer (~20 KB, long Chinese lyrics) for the benchmark.
func longA() string {
	var lyr strings.Builder
	for i := 1; lyr.Len() < 17000; i++ {
		switch i % 3 {
		case 1:
			lyr.WriteString(fmt.Sprintf("[Verse %d]\n", i/3+1))
		case 2:
			lyr.WriteString("[Chorus]\n")
		default:
			lyr.WriteString("[Bridge]\n")
		}
		lyr.WriteString("城市的灯火 一盏一盏亮起 我在人海里 寻找你的消息\n")
		lyr.WriteString("风吹过街角 带走昨天的叹息 你说 'Don't cry' 明天会更美丽\n")
		lyr.WriteString("我们的故事 写在雨后的天空 & 彩虹的尽头 有我们的约定\n")
		lyr.WriteString("就算时光 把一切都冲淡 我依然记得 你微笑的样子\n\n")
	}
	lyr.WriteString("[Outro]\n再见了 我的城市")
	data := []song{
		{ID: idA1, Title: "城市之光", ModelName: "chirp-v3-5",
			ImageURL: "https://cdn2.suno.ai/image_" + idA1 + ".jpeg",
			AudioURL: "https://cdn1.suno.ai/" + idA1 + ".mp3",
			VideoURL: "https://cdn1.suno.ai/" + idA1 + ".mp4",
			Metadata: meta{Tags: "cinematic c-pop ballad", Prompt: lyr.String(), Duration: 239.8}},
		{ID: idA2, Title: "城市之光", ModelName: "chirp-v3-5",
			ImageURL: "https://cdn2.suno.ai/image_" + idA2 + ".jpeg",
			AudioURL: "https://cdn1.suno.ai/" + idA2 + ".mp3",
			VideoURL: "https://cdn1.suno.ai/" + idA2 + ".mp4",
			Metadata: meta{Tags: "piano pop", Prompt: lyr.String(), Duration: 236.2}},
	}
	return submitA + ticks(40) + render(tmplSpec, data)
}

// What relay-api.md 5.3 (e) guesses for commercial relays (unconfirmed): a json block, "ID:"
// lines, 排队中 / 生成中 / percentage lines, then bare cdn links.
func progressE() string {
	return "```json\n{\"prompt\":\"加班到深夜的打工人\",\"title\":\"加班的夜\",\"tags\":\"lo-fi, chill\"}\n```\n\n" +
		"ID: " + idC1 + "\n" +
		"ID: " + idC2 + "\n\n" +
		"排队中...\n" +
		"生成中 12%\n" +
		"生成中 47%\n" +
		"生成中 88%\n" +
		"完成 100%\n\n" +
		"https://cdn1.suno.ai/" + idC1 + ".mp3\n" +
		"https://cdn1.suno.ai/" + idC2 + ".mp3\n"
}

func main() {
	dir := os.Args[1]
	files := map[string]string{
		"format_a.txt":           formatA(),
		"format_a_none.txt":      formatANone(),
		"format_a_error.txt":     formatAError(),
		"timeout.txt":            timeout(),
		"relay_cdn.txt":          relayCDN(),
		"format_b.txt":           formatB(),
		"format_b_violation.txt": formatBViolation(),
		"legacy_b.txt":           legacyB(),
		"format_c.txt":           formatC(),
		"format_d.txt":           formatD(),
		"format_d_zh.txt":        formatDZh(),
		"english_d.txt":          englishD(),
		"long_a.txt":             longA(),
		"progress_e.txt":         progressE(),
	}
	for name, s := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			panic(err)
		}
		fmt.Println(name, len(s))
	}
}
