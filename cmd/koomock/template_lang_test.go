package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTemplateCheckLang: --lang zh-CN (or KOOMOCK_LANG, or the POSIX locale) prints the findings, their
// fixes and the summary in Chinese, keeping the rule names and file:line; English stays as it was.
func TestTemplateCheckLang(t *testing.T) {
	src, err := os.ReadFile("../../template/testdata/good.tf")
	if err != nil {
		t.Fatal(err)
	}
	good := string(src)
	// An un-decoded internal_path (the resource's user_data, line 24 once the two lines go) and a variable with no description
	// whose name looks like a password and is not sensitive (line 1, both warnings).
	bad := strings.Replace(good, "${local.software_url_decode}", "${local.software_url}", 1)
	bad = strings.Replace(bad, "  description = \"The password of the server's root user\"\n", "", 1)
	bad = strings.Replace(bad, "  sensitive   = true\n", "", 1)
	dir := t.TempDir()
	badFile, goodFile := filepath.Join(dir, "bad.tf"), filepath.Join(dir, "good.tf")
	for name, text := range map[string]string{badFile: bad, goodFile: good} {
		if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := cli(t, nil, "template", "check", badFile, "--offline", "--lang", "zh-CN")
	for _, want := range []string{
		"警告 " + badFile + ":1: template.variableDescription: 变量 \"ecs_password\" 没有描述\n" +
			"     修复：添加 description = \"...\"：买家填写部署参数时会看到它\n",
		"警告 " + badFile + ":1: template.sensitivePassword: 变量 \"ecs_password\" 像是密码，但未标记为敏感\n",
		"失败 " + badFile + ":24: template.internalPathDecoded: huaweicloud_compute_instance.server 的 user_data 使用的 internal_path 仍是 JSON 转义的",
		"修复：下载 ${local.software_url_decode}，其中 software_url_decode = jsondecode(\"\\\"${local.software_url}\\\"\")\n",
		badFile + " 不符合云商店对自动部署模板的规则\n",
	} {
		if code != exitRule || !strings.Contains(out, want) {
			t.Errorf("--lang zh-CN: exit %d, want 1 and\n%s\ngot:\n%s%s", code, want, out, errOut)
		}
	}
	if strings.Contains(out, "fix:") || strings.Contains(out, "FAIL") || strings.Contains(out, "WARN") {
		t.Errorf("--lang zh-CN printed English:\n%s", out)
	}
	code, out, _ = cli(t, nil, "template", "check", badFile, "--offline")
	want := "WARN " + badFile + ":1: template.variableDescription: variable \"ecs_password\" has no description\n" +
		"     fix: add description = \"...\": the buyer reads it when filling in the deployment\n"
	if code != exitRule || !strings.Contains(out, want) || !strings.Contains(out, "uses internal_path still JSON-escaped (\\u0026 where the URL has &)") ||
		!strings.Contains(out, badFile+" breaks KooGallery's rules for auto-deploy templates\n") {
		t.Errorf("English: exit %d, want 1 and\n%s\ngot:\n%s", code, want, out)
	}
	for _, vars := range []map[string]string{{"KOOMOCK_LANG": "zh-CN"}, {"LANG": "zh_CN.UTF-8"}} {
		code, out, errOut := cli(t, vars, "template", "check", goodFile, "--offline")
		if code != exitOK || !strings.Contains(out, goodFile+" 检查通过（0 个警告）") {
			t.Errorf("%v: exit %d\n%s%s", vars, code, out, errOut)
		}
	}
	if code, out, _ := cli(t, map[string]string{"LANG": "zh_CN.UTF-8"}, "template", "check", goodFile, "--offline", "--lang", "en"); code != exitOK ||
		!strings.Contains(out, goodFile+" passes (0 warnings); not checked offline") {
		t.Errorf("--lang en over LANG: exit %d\n%s", code, out)
	}
	if code, _, errOut := cli(t, nil, "template", "check", goodFile, "--offline", "--lang", "xx-nonsense-"); code != exitUsage || !strings.Contains(errOut, "want en or zh-CN") {
		t.Errorf("--lang nonsense: exit %d %s", code, errOut)
	}
	if code, _, errOut := cli(t, nil, "template", "deploy", "-h"); code != exitOK || !strings.Contains(errOut, "-lang") {
		t.Errorf("template deploy -h: exit %d, want --lang in\n%s", code, errOut)
	}
}
