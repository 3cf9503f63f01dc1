package sim

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestTaskIDsListsAcceptedTasks(t *testing.T) {
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var want []string
	for _, body := range []string{`{"gpt_description_prompt":"a"}`, `{"prompt":"[Verse] b","title":"B"}`} {
		req, _ := http.NewRequest("POST", s.URL()+"/suno/submit/music", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer sk-x")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var env struct{ Data string }
		err = json.NewDecoder(resp.Body).Decode(&env)
		resp.Body.Close()
		if err != nil || env.Data == "" {
			t.Fatalf("submit: %+v %v", env, err)
		}
		want = append(want, env.Data)
	}
	got := s.TaskIDs()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("TaskIDs = %v, want %v", got, want)
	}
}
