import json, sys, urllib.request
URL = "https://api.open-meteo.com/v1/forecast?latitude={lat}&longitude={lon}&current_weather=true"
def fetch(lat, lon):
    with urllib.request.urlopen(URL.format(lat=lat, lon=lon), timeout=10) as r:
        return json.load(r)
print(json.dumps(fetch(*json.load(sys.stdin)["where"])))
