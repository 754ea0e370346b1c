import pytest

from tandem.lib.envconfig import env_bool, env_list, parse_email_url

SMTP = "django.core.mail.backends.smtp.EmailBackend"


class TestEnvBool:
    @pytest.mark.parametrize("raw", ["1", "true", "TRUE", " yes ", "on"])
    def test_it_reads_true(self, monkeypatch, raw):
        monkeypatch.setenv("FLAG", raw)
        assert env_bool("FLAG", False) is True

    @pytest.mark.parametrize("raw", ["0", "false", "No", "off", ""])
    def test_it_reads_false(self, monkeypatch, raw):
        monkeypatch.setenv("FLAG", raw)
        assert env_bool("FLAG", True) is False

    def test_it_uses_the_default_when_unset(self, monkeypatch):
        monkeypatch.delenv("FLAG", raising=False)
        assert env_bool("FLAG", True) is True
        assert env_bool("FLAG", False) is False

    def test_it_refuses_anything_else(self, monkeypatch):
        monkeypatch.setenv("FLAG", "maybe")
        with pytest.raises(ValueError, match="FLAG must be true or false"):
            env_bool("FLAG", False)


class TestEnvList:
    def test_it_splits_on_commas_and_drops_blanks(self, monkeypatch):
        monkeypatch.setenv("HOSTS", " a.example.com, ,b.example.com,")
        assert env_list("HOSTS", []) == ["a.example.com", "b.example.com"]

    def test_it_uses_the_default_when_unset(self, monkeypatch):
        monkeypatch.delenv("HOSTS", raising=False)
        assert env_list("HOSTS", ["localhost"]) == ["localhost"]

    def test_an_empty_value_means_an_empty_list(self, monkeypatch):
        monkeypatch.setenv("HOSTS", "")
        assert env_list("HOSTS", ["localhost"]) == []


class TestEmailUrl:
    def test_it_reads_smtp_with_starttls(self):
        config = parse_email_url("smtp://mailer:s%40cret@mail.example.com:587?tls=true")
        assert config.backend == SMTP
        assert (config.host, config.port) == ("mail.example.com", 587)
        assert (config.user, config.password) == ("mailer", "s@cret")
        assert config.use_tls is True
        assert config.use_ssl is False

    def test_smtp_defaults_to_port_25_without_encryption(self):
        config = parse_email_url("smtp://localhost")
        assert (config.host, config.port, config.use_tls, config.use_ssl) == (
            "localhost",
            25,
            False,
            False,
        )

    def test_smtps_is_implicit_tls_on_port_465(self):
        config = parse_email_url("smtps://mailer:pw@mail.example.com")
        assert config.backend == SMTP
        assert (config.port, config.use_ssl, config.use_tls) == (465, True, False)

    def test_it_refuses_both_kinds_of_tls(self):
        with pytest.raises(ValueError, match="not both"):
            parse_email_url("smtps://mail.example.com?tls=true")

    def test_it_refuses_a_misspelt_option(self):
        with pytest.raises(ValueError, match="unknown option"):
            parse_email_url("smtp://mail.example.com?tsl=true")

    def test_it_refuses_an_option_that_is_not_a_bool(self):
        with pytest.raises(ValueError, match="tls must be true or false"):
            parse_email_url("smtp://mail.example.com?tls=sometimes")

    def test_it_refuses_a_bad_port(self):
        with pytest.raises(ValueError, match="invalid port"):
            parse_email_url("smtp://mail.example.com:mail")

    def test_it_reads_console(self):
        assert parse_email_url("console://").backend == (
            "django.core.mail.backends.console.EmailBackend"
        )

    def test_it_reads_locmem(self):
        assert parse_email_url("locmem://").backend == (
            "django.core.mail.backends.locmem.EmailBackend"
        )

    def test_it_reads_file_with_its_path(self):
        config = parse_email_url("file:///var/spool/tandem-mail")
        assert config.backend == "django.core.mail.backends.filebased.EmailBackend"
        assert config.file_path == "/var/spool/tandem-mail"

    def test_file_needs_an_absolute_path(self):
        with pytest.raises(ValueError, match="absolute path"):
            parse_email_url("file://relative/mail")

    def test_the_scheme_is_case_insensitive(self):
        assert parse_email_url("SMTP://mail.example.com").backend == SMTP

    @pytest.mark.parametrize(
        "url", ["http://mail.example.com", "sendmail://", "", "mail.example.com"]
    )
    def test_it_refuses_an_unknown_scheme(self, url):
        with pytest.raises(ValueError, match="scheme must be one of"):
            parse_email_url(url)
