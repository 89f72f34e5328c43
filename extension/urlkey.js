/*
 * URL keys for the private lookup (exposes `FactUrlKey`; plain script, no
 * build step; loaded by the service worker with importScripts and testable
 * in any page).
 *
 * `urlKey(url)` is a port of annotations/urls.py `url_key`: the same string
 * for the same URL, or null where Python raises DomainError. The
 * specification by example is tests/fixtures/url_keys.json, which
 * tests/test_urls.py (Python) and tests/browser/test_url_keys_js.py
 * (Chromium) both run. The steps mirror Python's own: urllib.parse's
 * splitting (not the browser's URL parser, which reads a few things
 * differently, such as "\" in a path), then host, path and query as
 * urls.py normalises them.
 *
 * International hosts: the browser's URL parser does the UTS #46 mapping
 * and the punycode (as Python's `idna` package does), one label at a time
 * so that a label is judged on its own as `idna` judges it. What `idna`
 * checks beyond the URL Standard (IDNA 2008: hyphens, label length, only
 * letters, digits and marks, the CONTEXTO rules) is checked here on the
 * decoded label. Known differences, refused rather than guessed (no key,
 * so no lookup), none of which a browser shows in its address bar: a label
 * that mixes non-ASCII characters with an ASCII character a browser forbids
 * in a host, and Unicode versions (a code point assigned after the
 * browser's or Python's tables were built).
 *
 * `keyHash(key)` is SHA-256 of the key's UTF-8 bytes in lower-case hex
 * (annotations.lookup.key_hash); `prefixOf(hash)` is the bucket the
 * service is asked for, never the URL.
 */
(function (root) {
  'use strict';

  var PREFIX_HEX_DIGITS = 4;  // annotations.lookup.PREFIX_HEX_DIGITS
  var MAX_URL_LENGTH = 2048;  // code points, as annotations.urls.MAX_URL_LENGTH
  var DEFAULT_PORTS = { http: 80, https: 443 };
  var TRACKING_PARAMS = ['fbclid', 'gclid', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'mc_cid',
    'mc_eid', 'igshid', 'yclid', '_ga', 'ref_src', 'cmpid', 'ocid', 'smid', 'spm'];
  var TRACKING_PREFIXES = ['utm_'];

  function Refused(reason) { this.reason = reason; }

  function refuse(reason) { throw new Refused(reason); }

  // -- Python's string predicates ----------------------------------------------

  // str.isspace(): category Zs or bidirectional class WS, B or S.
  var PY_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
  var SPACE_OR_CONTROL = new RegExp('[\\x00-\\x1f' + PY_SPACE + ']');
  var STRIP = new RegExp('^[' + PY_SPACE + ']+|[' + PY_SPACE + ']+$', 'g');
  var NON_ASCII = /[^\x00-\x7f]/;

  function isAscii(text) { return !NON_ASCII.test(text); }

  function codePointLength(text) {
    var n = 0;
    for (var i = 0; i < text.length; i++) {
      var unit = text.charCodeAt(i);
      if (unit < 0xd800 || unit > 0xdbff) n++;
    }
    return n;
  }

  /** Python's order of str: code point by code point (not UTF-16 units). */
  function compareCodePoints(a, b) {
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      var d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d;
    }
    return x.length - y.length;
  }

  function partition(text, separator) {
    var at = text.indexOf(separator);
    return at < 0 ? [text, '', ''] : [text.slice(0, at), separator, text.slice(at + separator.length)];
  }

  function rpartition(text, separator) {
    var at = text.lastIndexOf(separator);
    return at < 0 ? ['', '', text] : [text.slice(0, at), separator, text.slice(at + separator.length)];
  }

  // -- percent-encoding, as urllib.parse ------------------------------------------

  var ALWAYS_SAFE = /^[A-Za-z0-9_.\-~]$/;
  var UNRESERVED = ALWAYS_SAFE;  // RFC 3986 section 2.3: the same set
  var ESCAPED_IN_PATH = /["<>`{}]/;
  var ESCAPE = /%([0-9A-Fa-f]{2})/g;
  var utf8 = new TextEncoder();

  function hex(byte) { return '%' + (byte < 16 ? '0' : '') + byte.toString(16).toUpperCase(); }

  /** urllib.parse.quote(text, safe=''), or quote_plus when `plus`. */
  function quote(text, plus) {
    var out = '';
    utf8.encode(text).forEach(function (byte) {
      var char = String.fromCharCode(byte);
      if (byte < 0x80 && ALWAYS_SAFE.test(char)) out += char;
      else if (plus && byte === 0x20) out += '+';
      else out += hex(byte);
    });
    return out;
  }

  /** urllib.parse.unquote: escapes in runs of ASCII read as UTF-8 bytes. */
  function unquote(text, strict) {
    if (text.indexOf('%') < 0) return text;
    var decoder = new TextDecoder('utf-8', { fatal: !!strict, ignoreBOM: true });
    return text.replace(/[\x00-\x7f]+/g, function (run) {
      var bytes = [];
      for (var i = 0; i < run.length; i++) {
        var escape = run.charAt(i) === '%' && /^[0-9A-Fa-f]{2}$/.test(run.substr(i + 1, 2));
        if (escape) { bytes.push(parseInt(run.substr(i + 1, 2), 16)); i += 2; }
        else bytes.push(run.charCodeAt(i));
      }
      try {
        return decoder.decode(new Uint8Array(bytes));
      } catch (error) {
        return refuse('malformed host');
      }
    });
  }

  // -- urllib.parse.urlsplit, and validate_http_url --------------------------------

  var SCHEME_CHARS = /^[A-Za-z0-9+\-.]*$/;

  function urlsplit(url) {
    var scheme = '', netloc = '', query = '', rest = url;
    var colon = rest.indexOf(':');
    if (colon > 0 && /^[A-Za-z]/.test(rest) && SCHEME_CHARS.test(rest.slice(0, colon))) {
      scheme = rest.slice(0, colon).toLowerCase();
      rest = rest.slice(colon + 1);
    }
    if (rest.slice(0, 2) === '//') {
      var end = rest.length;
      '/?#'.split('').forEach(function (c) {
        var at = rest.indexOf(c, 2);
        if (at >= 0 && at < end) end = at;
      });
      netloc = rest.slice(2, end);
      rest = rest.slice(end);
      var open = netloc.indexOf('[') >= 0, close = netloc.indexOf(']') >= 0;
      if (open !== close) refuse('malformed URL');
      if (open) checkBracketedHost(partition(partition(netloc, '[')[2], ']')[0]);
    }
    rest = partition(rest, '#')[0];
    var split = partition(rest, '?');
    query = split[2];
    checkNetloc(netloc);
    return { scheme: scheme, netloc: netloc, path: split[0], query: query };
  }

  /** urllib.parse._checknetloc: no character NFKC turns into a delimiter. */
  function checkNetloc(netloc) {
    if (!netloc || isAscii(netloc)) return;
    var bare = netloc.replace(/[@:#?]/g, '');
    var normal = bare.normalize('NFKC');
    if (bare !== normal && /[\/?#@:]/.test(normal)) refuse('malformed URL');
  }

  function checkBracketedHost(host) {
    if (host.charAt(0) === 'v') {
      if (!/^v[a-fA-F0-9]+\.[\s\S]+$/.test(host)) refuse('malformed URL');
    } else if (!isIPv6(host)) {
      refuse('malformed URL');
    }
  }

  /** ipaddress.IPv6Address's reading (scope id, embedded IPv4). */
  function isIPv6(text) {
    var scoped = partition(text, '%');
    if (scoped[1] && (!scoped[2] || scoped[2].indexOf('%') >= 0)) return false;
    var parts = scoped[0].split(':');
    if (parts.length < 3) return false;
    if (parts[parts.length - 1].indexOf('.') >= 0) {
      if (!isIPv4(parts.pop())) return false;
      parts.push('0', '0');
    }
    if (parts.length > 9) return false;
    var skip = null;
    for (var i = 1; i < parts.length - 1; i++) {
      if (!parts[i]) {
        if (skip !== null) return false;
        skip = i;
      }
    }
    if (skip !== null) {
      var high = skip, low = parts.length - skip - 1;
      if (!parts[0] && --high) return false;
      if (!parts[parts.length - 1] && --low) return false;
      if (8 - (high + low) < 1) return false;
    } else if (parts.length !== 8 || !parts[0] || !parts[parts.length - 1]) {
      return false;
    }
    return parts.every(function (part) { return part === '' || /^[0-9a-fA-F]{1,4}$/.test(part); });
  }

  function isIPv4(text) {
    var octets = text.split('.');
    return octets.length === 4 && octets.every(function (octet) {
      return /^[0-9]{1,3}$/.test(octet) && !(octet.length > 1 && octet.charAt(0) === '0') &&
        Number(octet) <= 255;
    });
  }

  /** The netloc's host (lower case, as SplitResult.hostname) and port. */
  function hostAndPort(netloc) {
    var info = rpartition(netloc, '@')[2];
    var hostname, port;
    var bracket = partition(info, '[');
    if (bracket[1]) {
      var inside = partition(bracket[2], ']');
      hostname = inside[0];
      port = partition(inside[2], ':')[2];
    } else {
      var colon = partition(info, ':');
      hostname = colon[0];
      port = colon[2];
    }
    if (port) {
      if (!/^[0-9]+$/.test(port) || Number(port) > 65535) refuse('malformed URL');
      port = Number(port);
    } else {
      port = null;
    }
    return { hostname: hostname.toLowerCase(), port: port };
  }

  function validHttpUrl(url) {
    if (typeof url !== 'string') refuse('a URL is required');
    // Python cannot encode a lone surrogate as UTF-8: no key.
    if (typeof url.isWellFormed === 'function' ? !url.isWellFormed()
      : /[\ud800-\udbff](?![\udc00-\udfff])|(^|[^\ud800-\udbff])[\udc00-\udfff]/.test(url)) {
      refuse('malformed URL');
    }
    url = url.replace(STRIP, '');
    if (!url) refuse('a URL is required');
    if (codePointLength(url) > MAX_URL_LENGTH) refuse('URL too long');
    if (SPACE_OR_CONTROL.test(url)) refuse('URL contains spaces or control characters');
    var parts = urlsplit(url);
    parts.host = hostAndPort(parts.netloc);
    if (!Object.prototype.hasOwnProperty.call(DEFAULT_PORTS, parts.scheme)) {
      refuse('only http and https URLs are accepted');
    }
    if (!parts.host.hostname) refuse('URL has no host');
    return parts;
  }

  // -- the key ---------------------------------------------------------------------

  function urlKey(url) {
    try {
      return keyOf(url);
    } catch (error) {
      if (error instanceof Refused) return null;
      throw error;
    }
  }

  /** Why `url` has no key (null when it has one): for tests and debugging. */
  function refusal(url) {
    try {
      keyOf(url);
      return null;
    } catch (error) {
      if (error instanceof Refused) return error.reason;
      throw error;
    }
  }

  function keyOf(url) {
    var parts = validHttpUrl(url);
    var host = asciiHost(parts.host.hostname);
    if (host.indexOf(':') >= 0) host = '[' + host + ']';
    var port = parts.host.port;
    if (port && port !== DEFAULT_PORTS[parts.scheme]) host += ':' + port;
    var path = removeDotSegments(normaliseEscapes(parts.path)).replace(/\/+$/, '');
    var query = parseQuery(parts.query).filter(function (pair) { return !isTracking(pair[0]); });
    query.sort(function (a, b) { return compareCodePoints(a[0], b[0]) || compareCodePoints(a[1], b[1]); });
    var key = host + path;
    if (query.length) {
      key += '?' + query.map(function (pair) { return quote(pair[0], true) + '=' + quote(pair[1], true); })
        .join('&');
    }
    return key;
  }

  function isTracking(name) {
    var lowered = name.toLowerCase();
    return TRACKING_PARAMS.indexOf(lowered) >= 0 ||
      TRACKING_PREFIXES.some(function (prefix) { return lowered.indexOf(prefix) === 0; });
  }

  /** urllib.parse.parse_qsl(query, keep_blank_values=True). */
  function parseQuery(query) {
    if (!query) return [];
    return query.split('&').filter(Boolean).map(function (field) {
      var pair = partition(field, '=');
      return [unquote(pair[0].replace(/\+/g, ' ')), unquote(pair[2].replace(/\+/g, ' '))];
    });
  }

  /** urls._normalise_escapes: RFC 3986 section 6.2.2 for a path. */
  function normaliseEscapes(path) {
    path = path.replace(ESCAPE, function (match, digits) {
      var char = String.fromCharCode(parseInt(digits, 16));
      return UNRESERVED.test(char) ? char : '%' + digits.toUpperCase();
    });
    if (isAscii(path) && !ESCAPED_IN_PATH.test(path)) return path;
    return Array.from(path).map(function (char) {
      return !isAscii(char) || ESCAPED_IN_PATH.test(char) ? quote(char) : char;
    }).join('');
  }

  /** RFC 3986 section 5.2.4: "/a/./b/../c" is "/a/c". */
  function removeDotSegments(path) {
    if (path.indexOf('.') < 0) return path;
    var output = [];
    var segments = path.split('/');
    segments.forEach(function (segment, i) {
      var last = i === segments.length - 1;
      if (segment === '.') {
        if (last) output.push('');
      } else if (segment === '..') {
        if (output.length > 1) output.pop();
        if (last) output.push('');
      } else {
        output.push(segment);
      }
    });
    var result = output.join('/');
    if (path.charAt(0) === '/' && result.charAt(0) !== '/') result = '/' + result;
    return result;
  }

  // -- the host ------------------------------------------------------------------------

  // urls._FORBIDDEN_IN_HOST: the URL Standard's forbidden domain code points.
  var FORBIDDEN_IN_HOST = /[ #%\/:<>?@\[\\\]^|\x7f]/;
  // UTS #46 label separators (idna's _unicode_dots_re).
  var DOTS = /[.\u3002\uff0e\uff61]/;

  /** urls._ascii_host: lower case, international labels in punycode. */
  function asciiHost(hostname) {
    var host = hostname.toLowerCase();
    if (host.indexOf(':') >= 0) return host;  // an IPv6 address
    if (host.indexOf('%') >= 0) {
      host = unquote(host, true).toLowerCase();
      if (FORBIDDEN_IN_HOST.test(host)) refuse('malformed host');
    }
    if (isAscii(host) && host.indexOf('xn--') < 0) return host;
    if (!isAscii(host)) {
      if (codePointLength(host) > 1024) refuse('host too long');
      // What Python refuses after the mapping: the mapping keeps ASCII, and
      // a character that maps to one of these fails the URL parser below.
      if (FORBIDDEN_IN_HOST.test(host)) refuse('malformed host');
    }
    var labels = [];
    host.split(DOTS).forEach(function (label) {
      if (!isAscii(label)) {
        labels.push.apply(labels, mappedLabels(label));
      } else {
        if (label.indexOf('xn--') === 0) checkALabel(label, false);
        labels.push(label);
      }
    });
    return labels.join('.').toLowerCase();
  }

  /**
   * The browser's UTS #46 ToASCII of one label (mapping may split it, as
   * U+2488 "⒈" is "1."): what idna.uts46_remap then idna.alabel make of it.
   * The label is parsed before ".x" so that it is read as a domain label
   * even when it maps to digits only (the URL parser reads "123" as IPv4).
   */
  function mappedLabels(label) {
    var ascii;
    try {
      ascii = new URL('https://' + label + '.x/').hostname;
    } catch (error) {
      return refuse('the host is not a valid international domain name');
    }
    if (ascii.slice(-2) !== '.x') refuse('the host is not a valid international domain name');
    return ascii.slice(0, -2).split('.').map(function (part) {
      if (part.indexOf('xn--') === 0) {
        checkALabel(part, true);
        if (part.length > 63) refuse('label too long');
      }
      return part;
    });
  }

  /** idna.ulabel's checks of an "xn--" label, and the browser's too. */
  function checkALabel(label, fromBrowser) {
    label = label.toLowerCase();
    var body = label.slice(4);
    if (!body || body.slice(-1) === '-') refuse('the host is not a valid international domain name');
    var unicode = punycodeDecode(body);
    checkLabel(unicode);
    if (!fromBrowser) {
      // Valid punycode, canonical (idna re-encodes and compares), valid
      // UTS #46: the browser's parser re-encodes it unchanged.
      var again;
      try {
        again = new URL('https://' + label + '.x/').hostname;
      } catch (error) {
        return refuse('the host is not a valid international domain name');
      }
      if (again !== label + '.x') refuse('the host is not a valid international domain name');
    }
  }

  // RFC 3492 punycode decoding, as Python's "punycode" codec (strict).
  function punycodeDecode(text) {
    var at = text.lastIndexOf('-');
    var output = at < 0 ? [] : Array.from(text.slice(0, at)).map(function (c) { return c.codePointAt(0); });
    var extended = (at < 0 ? text : text.slice(at + 1)).toUpperCase();
    if (output.some(function (c) { return c >= 0x80; })) refuse('invalid punycode');
    var char = 0x80, pos = -1, bias = 72, i = 0;
    while (i < extended.length) {
      var start = i, delta = 0, weight = 1;
      for (var k = 0; ; k++) {
        if (i >= extended.length) refuse('invalid punycode');
        var code = extended.charCodeAt(i++);
        var digit = code >= 0x41 && code <= 0x5a ? code - 0x41
          : code >= 0x30 && code <= 0x39 ? code - 22 : refuse('invalid punycode');
        var t = Math.min(26, Math.max(1, 36 * (k + 1) - bias));
        delta += digit * weight;
        if (digit < t) break;
        weight *= 36 - t;
      }
      pos += delta + 1;
      char += Math.floor(pos / (output.length + 1));
      if (char > 0x10ffff) refuse('invalid punycode');
      pos %= output.length + 1;
      output.splice(pos, 0, char);
      bias = adapt(delta, start === 0, output.length);
    }
    return output.map(function (c) {
      if (c >= 0xd800 && c <= 0xdfff) refuse('invalid punycode');
      return String.fromCodePoint(c);
    }).join('');
  }

  function adapt(delta, first, count) {
    delta = first ? Math.floor(delta / 700) : Math.floor(delta / 2);
    delta += Math.floor(delta / count);
    var divisions = 0;
    while (delta > 455) {
      delta = Math.floor(delta / 35);
      divisions += 36;
    }
    return divisions + Math.floor(36 * delta / (delta + 38));
  }

  // -- IDNA 2008 (RFC 5891, 5892): what idna.check_label adds to UTS #46 -----------

  var LDH_LABEL = /^(?!..--)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
  var LETTER_DIGIT = /^[\p{Ll}\p{Lu}\p{Lo}\p{Nd}\p{Lm}\p{Mn}\p{Mc}]$/u;
  var IGNORABLE = /^[\p{Default_Ignorable_Code_Point}\p{White_Space}\p{Noncharacter_Code_Point}]$/u;
  var MARK = /^\p{M}/u;
  var EXCEPTIONS_PVALID = [0xdf, 0x3c2, 0x6fd, 0x6fe, 0xf0b, 0x3007];
  var EXCEPTIONS_DISALLOWED = [0x640, 0x7fa, 0x302e, 0x302f, 0x3031, 0x3032, 0x3033, 0x3034,
    0x3035, 0x303b];
  var CONTEXTO = [0xb7, 0x375, 0x5f3, 0x5f4, 0x30fb];

  function inRanges(cp, ranges) {
    return ranges.some(function (r) { return cp >= r[0] && cp <= r[1]; });
  }

  // RFC 5892 section 2: IgnorableBlocks and OldHangulJamo are DISALLOWED.
  var IGNORABLE_BLOCKS = [[0x20d0, 0x20ff], [0x1d100, 0x1d1ff], [0x1d200, 0x1d24f]];
  var OLD_HANGUL_JAMO = [[0x1100, 0x11ff], [0xa960, 0xa97f], [0xd7b0, 0xd7ff]];

  /**
   * idna.check_label. The browser has already checked what UTS #46 checks
   * (NFC, a valid code point after mapping, CONTEXTJ joiners, the bidi
   * rule on this label); left are the IDNA 2008 rules the URL Standard
   * relaxes: hyphens, no leading mark, letters/digits/marks only (no
   * symbols such as emoji), the CONTEXTO rules, the length.
   */
  function checkLabel(label) {
    var invalid = 'the host is not a valid international domain name';
    if (!label) refuse(invalid);
    if (LDH_LABEL.test(label)) return;
    if (codePointLength(label) > 254) refuse(invalid);
    if (label.normalize('NFC') !== label) refuse(invalid);
    var chars = Array.from(label);
    if (chars.slice(2, 4).join('') === '--' || label.charAt(0) === '-' || label.slice(-1) === '-') refuse(invalid);
    if (MARK.test(label)) refuse(invalid);
    chars.forEach(function (char, pos) {
      var cp = char.codePointAt(0);
      if (CONTEXTO.indexOf(cp) >= 0 || (cp >= 0x660 && cp <= 0x669) || (cp >= 0x6f0 && cp <= 0x6f9)) {
        if (!validContextO(chars, pos)) refuse(invalid);
      } else if (cp === 0x200c || cp === 0x200d) {
        // CONTEXTJ: the browser's CheckJoiners applied the same rule.
      } else if (!pvalid(cp, char)) {
        refuse(invalid);
      }
    });
  }

  function pvalid(cp, char) {
    if (EXCEPTIONS_PVALID.indexOf(cp) >= 0) return true;
    if (EXCEPTIONS_DISALLOWED.indexOf(cp) >= 0) return false;
    if (/^[a-z0-9-]$/.test(char)) return true;
    if (IGNORABLE.test(char) || inRanges(cp, IGNORABLE_BLOCKS) || inRanges(cp, OLD_HANGUL_JAMO)) return false;
    // "Unstable" (changed by NFKC case folding) needs no test here: the
    // browser's mapping has already folded the label, and it refuses an
    // "xn--" label whose decoded form is not folded.
    return LETTER_DIGIT.test(char);
  }

  function isScript(char, script) {
    return new RegExp('^\\p{Script=' + script + '}$', 'u').test(char);
  }

  /** RFC 5892 appendix A, as idna.valid_contexto. */
  function validContextO(chars, pos) {
    var cp = chars[pos].codePointAt(0);
    var has = function (low, high) {
      return chars.some(function (c) { var v = c.codePointAt(0); return v >= low && v <= high; });
    };
    if (cp === 0xb7) return pos > 0 && pos < chars.length - 1 && chars[pos - 1] === 'l' && chars[pos + 1] === 'l';
    if (cp === 0x375) return pos < chars.length - 1 && isScript(chars[pos + 1], 'Greek');
    if (cp === 0x5f3 || cp === 0x5f4) return pos > 0 && isScript(chars[pos - 1], 'Hebrew');
    if (cp === 0x30fb) {
      return chars.some(function (c) {
        return c !== '\u30fb' && (isScript(c, 'Hiragana') || isScript(c, 'Katakana') || isScript(c, 'Han'));
      });
    }
    if (cp >= 0x660 && cp <= 0x669) return !has(0x6f0, 0x6f9);
    if (cp >= 0x6f0 && cp <= 0x6f9) return !has(0x660, 0x669);
    return false;
  }

  // -- hash and bucket --------------------------------------------------------------------

  /** SHA-256 of the key's UTF-8 bytes, lower-case hex (64 digits). */
  function keyHash(key) {
    return root.crypto.subtle.digest('SHA-256', utf8.encode(key)).then(function (digest) {
      return Array.from(new Uint8Array(digest), function (byte) {
        return (byte < 16 ? '0' : '') + byte.toString(16);
      }).join('');
    });
  }

  /** The bucket the service is asked for: the hash's first hex digits. */
  function prefixOf(hash) {
    return String(hash).slice(0, PREFIX_HEX_DIGITS);
  }

  root.FactUrlKey = Object.freeze({
    urlKey: urlKey,
    refusal: refusal,
    keyHash: keyHash,
    prefixOf: prefixOf,
    PREFIX_HEX_DIGITS: PREFIX_HEX_DIGITS,
  });
})(globalThis);
