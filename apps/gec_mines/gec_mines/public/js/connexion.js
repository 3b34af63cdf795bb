// The sign-in form posts to gec_mines.securite.signin.login, which turns a password kept from the
// former GEC into a Frappe password once, then signs in exactly like Frappe's own "login".
frappe.ready(() => {
	if (!window.login || typeof window.login.call !== "function") return;
	const call = window.login.call;
	window.login.call = function (args, callback, url) {
		if (args && args.cmd === "login") {
			const { cmd, ...rest } = args;
			return call.call(this, rest, callback, "/api/method/gec_mines.securite.signin.login");
		}
		return call.call(this, args, callback, url);
	};
});
