package main

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"github.com/spf13/cobra"

	"sunostudio/internal/i18n"
	"sunostudio/internal/i18n/i18ntest"
	"sunostudio/studio"
)

// cobraEnglish are the words cobra and pflag put in help output by themselves; in Chinese
// help none may be left.
var cobraEnglish = []string{
	"Usage:", "Aliases:", "Examples:", "Available Commands:", "Additional Commands:", "Flags:",
	"Global Flags:", "Additional help topics:", "for more information about a command",
	"help for ", "version for ", "(default ", "Generate the autocompletion script", "Help about any command",
	"disable completion descriptions",
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func chineseForTest(t *testing.T) {
	t.Helper()
	t.Cleanup(func() { i18n.Use(i18n.English) })
}

// TestChineseHelp: with --lang zh-CN every command's help is Chinese, cobra's own headings
// and flags included.
func TestChineseHelp(t *testing.T) {
	chineseForTest(t)
	code, out, errs := runCLI(t, "", "--lang", "zh-CN", "--help")
	if code != 0 || errs != "" {
		t.Fatalf("--help: exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{
		"sunostudio 写歌词，通过中转站", "用法：", "可用命令：", "选项：", "显示 sunostudio 的帮助", "显示 sunostudio 的版本",
		"以 JSON 输出结果", "运行「sunostudio [command] --help」查看命令的详细说明。",
		"\n  generate    生成一首歌曲", "\n  completion  生成指定 shell 的自动补全脚本", "\n  help        显示任意命令的帮助",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("--lang zh-CN --help lacks %q:\n%s", want, out)
		}
	}

	// Every command, cobra's help and completion commands included.
	i18n.Use(i18n.Chinese)
	root := newRootCmd()
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		paths = append(paths, path)
		for _, sub := range c.Commands() {
			walk(sub, append(append([]string(nil), path...), sub.Name()))
		}
	}
	walk(root, nil)
	if len(paths) < 30 {
		t.Fatalf("only %d commands: are help and completion there?", len(paths))
	}
	for _, path := range paths {
		args := append([]string{"--lang", "zh-CN"}, path...)
		code, out, errs := runCLI(t, "", append(args, "--help")...)
		if code != 0 || errs != "" {
			t.Errorf("%v --help: exit %d, stderr %q", path, code, errs)
			continue
		}
		for _, en := range cobraEnglish {
			if strings.Contains(out, en) {
				t.Errorf("%v --help still says %q:\n%s", path, en, out)
			}
		}
		first, _, _ := strings.Cut(out, "\n")
		if !hasHan(first) || !strings.Contains(out, "用法：") {
			t.Errorf("%v --help is not in Chinese:\n%s", path, out)
		}
	}
	// `help CMD` is the same help.
	_, viaHelp, _ := runCLI(t, "", "--lang", "zh-CN", "help", "generate")
	_, viaFlag, _ := runCLI(t, "", "--lang", "zh-CN", "generate", "--help")
	if viaHelp != viaFlag || !strings.Contains(viaHelp, "示例：") || !strings.Contains(viaHelp, "（自定义模式）") {
		t.Errorf("help generate:\n%s\ngenerate --help:\n%s", viaHelp, viaFlag)
	}
}

// TestEnglishHelpKeepsCobraWords: English is cobra's own text, untouched.
func TestEnglishHelpKeepsCobraWords(t *testing.T) {
	_, out, _ := runCLI(t, "", "list", "--help")
	for _, want := range []string{"Usage:\n  sunostudio list [flags]", "Flags:\n", "help for list", `(default "date")`, "Global Flags:\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("list --help lacks %q:\n%s", want, out)
		}
	}
	if hasHan(out) {
		t.Errorf("English help has Chinese in it:\n%s", out)
	}
}

func TestChineseUsageErrors(t *testing.T) {
	chineseForTest(t)
	cliEnv(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"list", "--sort", "size"}, `--sort 只能是 date、title 或 duration，而不是「size」`},
		{[]string{"generate", "--bogus"}, "未知选项：--bogus"},
		{[]string{"generate", "--description"}, "选项 --description 需要一个值"},
		{[]string{"batch", "x.jsonl", "--parallel", "many"}, `--parallel 选项的值「many」无效：不是整数`},
		{[]string{"show"}, "需要 1 个参数，收到 0 个"},
		{[]string{"generate"}, "请说明要生成什么"},
		{[]string{"extend", "x"}, "请指定从哪里续写"},
	} {
		code, _, errs := runCLI(t, "", append([]string{"--lang", "zh-CN"}, c.args...)...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, code, errs, c.want)
		}
	}
}

// TestChineseOutputAndLanguageNeutralJSON: human output follows the language, --json output
// is the same bytes in every language.
func TestChineseOutputAndLanguageNeutralJSON(t *testing.T) {
	chineseForTest(t)
	// Demo mode (no key), in a data folder of its own: the notices and the balance.
	t.Setenv("SUNOSTUDIO_HOME", "")
	t.Setenv("SUNOSTUDIO_API_KEY", "")
	t.Setenv("SUNOSTUDIO_BASE_URL", "")
	t.Setenv("SUNOSTUDIO_PROFILE", "")
	demo := t.TempDir()
	code, out, errs := runCLI(t, "", "--lang", "zh-CN", "--data-dir", demo, "quota")
	if code != 0 {
		t.Fatalf("quota: exit %d\n%s", code, errs)
	}
	for _, want := range []string{"已写入初始配置：", "演示模式：未配置 API 密钥"} {
		if !strings.Contains(errs, want) {
			t.Errorf("quota stderr lacks %q:\n%s", want, errs)
		}
	}
	if !strings.Contains(out, "demo：剩余 ") || !strings.Contains(out, "（已用 ") {
		t.Errorf("quota stdout is not Chinese: %q", out)
	}
	if strings.Contains(errs+out, "demo mode") || strings.Contains(errs+out, "remaining") {
		t.Errorf("English left in quota output:\n%s%s", out, errs)
	}
	sameJSON(t, "--data-dir", demo, "quota", "--json")

	// A library with songs in it (the fast simulator).
	cliEnv(t)
	data := t.TempDir()
	code, _, errs = runCLI(t, "", "--lang", "zh-CN", "--data-dir", data, "generate", "--description", "夏天的海边", "--wait")
	if code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, errs)
	}
	if !strings.Contains(errs, "已提交任务 ") || !strings.Contains(errs, "：已完成") || strings.Contains(errs, "submitted") {
		t.Errorf("generate progress is not Chinese:\n%s", errs)
	}
	code, out, _ = runCLI(t, "", "--lang", "zh-CN", "--data-dir", data, "list")
	if code != 0 || strings.Count(out, "已完成") != 2 || strings.Contains(out, "complete") {
		t.Errorf("list in Chinese:\n%s", out)
	}
	var clips []studio.ClipJSON
	if err := json.Unmarshal([]byte(sameJSON(t, "--data-dir", data, "list", "--json")), &clips); err != nil || len(clips) != 2 {
		t.Fatalf("list --json: %v, %d clips", err, len(clips))
	}
	if clips[0].Status != "complete" {
		t.Errorf("--json status %q: JSON keeps the stable English words", clips[0].Status)
	}
	sameJSON(t, "--data-dir", data, "tasks", "--json")
	sameJSON(t, "--data-dir", data, "show", clips[0].ID, "--json")
	_, out, _ = runCLI(t, "", "--lang", "zh-CN", "--data-dir", data, "show", clips[0].ID)
	if !strings.Contains(out, "标题：") || !strings.Contains(out, "状态：     已完成") {
		t.Errorf("show in Chinese:\n%s", out)
	}
}

// sameJSON runs a --json command in English and in Chinese and fails unless both print the
// same bytes; it returns them.
func sameJSON(t *testing.T, args ...string) string {
	t.Helper()
	codeEn, en, errsEn := runCLI(t, "", append([]string{"--lang", "en"}, args...)...)
	codeZh, zh, errsZh := runCLI(t, "", append([]string{"--lang", "zh-CN"}, args...)...)
	if codeEn != 0 || codeZh != 0 || en == "" {
		t.Fatalf("%v: exit %d/%d\n%s\n%s", args, codeEn, codeZh, errsEn, errsZh)
	}
	if en != zh {
		t.Errorf("%v: --json differs by language:\nen: %s\nzh-CN: %s", args, en, zh)
	}
	return en
}

// TestNoTextBypassesTheCatalog: package main says nothing to people outside the catalog.
func TestNoTextBypassesTheCatalog(t *testing.T) {
	i18ntest.CheckNoRawText(t, ".")
}
