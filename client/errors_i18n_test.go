package client

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"sunostudio/internal/i18n"
	"sunostudio/internal/i18n/i18ntest"
)

func TestErrorReadsInChinese(t *testing.T) {
	i18ntest.InLanguage(t, i18n.Chinese, func(t *testing.T) {
		e := &Error{Kind: KindAuth, Op: OpSubmitMusic.Text(), Relay: "apicore", HTTPStatus: 401, Message: "invalid token"}
		want := "提交音乐：中转站 apicore 拒绝了 API 密钥（HTTP 401）：invalid token。" +
			"请检查此配置档的 API 密钥（config.toml 或 SUNOSTUDIO_API_KEY）及其余额"
		if got := e.Error(); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
		// The stable names for JSON and errors.Is do not change with the language.
		if e.Kind.String() != "auth" || !errors.Is(e, ErrAuth) {
			t.Errorf("kind %q, errors.Is(ErrAuth) %v", e.Kind, errors.Is(e, ErrAuth))
		}
		e = &Error{Kind: KindRateLimited, RetryAfter: 30 * time.Second}
		if got, want := e.Error(), "中转站正在限流。请 30s 后重试"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
		e = &Error{Kind: KindMalformed, Relay: "x", HTTPStatus: 200, Excerpt: "<html>", Err: i18n.Text("client.decode.invalid_json")}
		if got, want := e.Error(), "中转站 x 返回了 sunostudio 无法读取的回复（HTTP 200）（回复开头为 \"<html>\"）："+
			"回复不是有效的 JSON（被截断了？）。此配置档的 base URL 或 dialect 可能设置有误"; got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})
}

// A real call under Chinese: the words are Chinese, the relay's own text and the ids are
// not translated, the task advice still applies, and the key never shows.
func TestRelayErrorReadsInChinese(t *testing.T) {
	i18ntest.InLanguage(t, i18n.Chinese, func(t *testing.T) {
		c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"code":"task_not_exist","message":"no task for key ` + testKey + `"}`))
		})
		_, err := c.FetchTask(context.Background(), "t-42", KindMusic)
		assertNoKey(t, err)
		if !errors.Is(err, ErrNotFound) || KindOf(err).String() != "not_found" {
			t.Fatalf("kind: %v", err)
		}
		want := "查询任务 t-42：在中转站 test 上找不到（HTTP 404）：任务 t-42。任务只对创建它的 API 密钥可见，且只在创建它的中转站上可见"
		if got := err.Error(); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}

		_, err = c.SubmitMusic(context.Background(), MusicRequest{Mode: ModeInfill, ContinueClipID: "c1", InfillStart: 5, InfillEnd: 2})
		if want := "提交音乐：中转站 test 拒绝了请求：要替换的段落必须在开始之后结束（5.0s-2.0s）"; err == nil || err.Error() != want {
			t.Errorf("got  %v\nwant %s", err, want)
		}
	})
}

func TestTextErrorsAreMessages(t *testing.T) {
	for _, e := range []error{errIdle, errTooLarge, ErrSSELineTooLong, errNotObject} {
		if !i18n.Has(string(e.(i18n.Text))) {
			t.Errorf("%s: no such message", e)
		}
	}
}
